import { defineConfig } from 'tsup';

// Helia's offline node (`createHeliaLight`) is bundled into the build rather than depended on: the `helia`
// package also ships `createHelia`, whose dependencies (@helia/libp2p, @helia/bitswap → @libp2p/webrtc →
// react-native-webrtc) make npm install react-native (a non-optional peer) for every consumer. Those two imports
// are only reached by `createHelia`, which the SDK never calls, so they resolve to a stub that tree-shaking drops;
// everything else helia imports stays external and is listed in this package's dependencies.
const fullNodeOnly = /^@helia\/(bitswap|libp2p)$/;

export default defineConfig({
  entry: ['src/index.ts', 'src/index.browser.ts', 'src/kubo.ts', 'src/node.ts', 'src/testing.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2023',
  platform: 'neutral',
  noExternal: [/^helia$/],
  external: [/^(?!helia$|@helia\/(bitswap|libp2p)$)[@a-z]/],
  esbuildPlugins: [
    {
      name: 'helia-without-full-node',
      setup(build) {
        build.onResolve({ filter: fullNodeOnly }, (args) => ({ path: args.path, namespace: 'helia-full-node' }));
        build.onLoad({ filter: /.*/, namespace: 'helia-full-node' }, (args) => ({
          contents: `export function withBitswap() { throw new Error('${args.path} is not bundled'); }
export function withLibp2p() { throw new Error('${args.path} is not bundled'); }`,
          loader: 'js',
        }));
      },
    },
  ],
});
