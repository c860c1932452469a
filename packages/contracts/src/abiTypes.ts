import type { BytesLike } from 'ethers';

/** One parameter of a JSON ABI item. */
export interface AbiParameter {
  readonly type: string;
  readonly name?: string;
  readonly internalType?: string;
  readonly indexed?: boolean;
  readonly components?: readonly AbiParameter[];
}

/** One item (function, event, error, constructor) of a JSON ABI. */
export interface AbiItem {
  readonly type: string;
  readonly name?: string;
  readonly inputs?: readonly AbiParameter[];
  readonly outputs?: readonly AbiParameter[];
  readonly stateMutability?: string;
  readonly anonymous?: boolean;
}

/** A JSON ABI, kept `as const` so names and types stay literal. */
export type Abi = readonly AbiItem[];

/** `in`: what a call accepts (numbers or bigints, hex strings or bytes); `out`: what a call or log decodes to. */
export type AbiMode = 'in' | 'out';

/** The TypeScript type of an elementary ABI type (address, bool, string, bytes, intN/uintN). */
export type AbiPrimitiveType<T extends string, M extends AbiMode> = T extends 'address'
  ? string
  : T extends 'bool'
    ? boolean
    : T extends 'string'
      ? string
      : T extends `bytes${string}`
        ? M extends 'in'
          ? BytesLike
          : string
        : T extends `uint${string}` | `int${string}`
          ? M extends 'in'
            ? bigint | number
            : bigint
          : unknown;

/** The object type of a tuple (struct), by component name. */
export type AbiTupleType<C extends readonly AbiParameter[], M extends AbiMode> = {
  -readonly [P in C[number] as P['name'] & string]: AbiParameterType<P, M>;
};

/** The TypeScript type of one ABI parameter, for calls (`in`) or decoded results (`out`). */
export type AbiParameterType<P extends AbiParameter, M extends AbiMode> = P['type'] extends `${infer Inner}[]`
  ? readonly AbiParameterType<Omit<P, 'type'> & { type: Inner }, M>[]
  : P['type'] extends `${infer Inner}[${number}]`
    ? readonly AbiParameterType<Omit<P, 'type'> & { type: Inner }, M>[]
    : P['type'] extends 'tuple'
      ? P extends { components: infer C extends readonly AbiParameter[] }
        ? AbiTupleType<C, M>
        : never
      : AbiPrimitiveType<P['type'], M>;

/** The TypeScript tuple of a parameter list. */
export type AbiParametersType<Ps extends readonly AbiParameter[], M extends AbiMode> = {
  -readonly [K in keyof Ps]: Ps[K] extends AbiParameter ? AbiParameterType<Ps[K], M> : never;
};

/** The function items of an ABI. */
export type AbiFunctionItem<TAbi extends Abi> = Extract<TAbi[number], { type: 'function'; name: string }>;

/** Names of the `view`/`pure` functions of an ABI. */
export type ReadFunctionName<TAbi extends Abi> = Extract<
  AbiFunctionItem<TAbi>,
  { stateMutability: 'view' | 'pure' }
>['name'];

/** Names of the state-changing functions of an ABI. */
export type WriteFunctionName<TAbi extends Abi> = Extract<
  AbiFunctionItem<TAbi>,
  { stateMutability: 'nonpayable' | 'payable' }
>['name'];

/** The argument tuple of function `F`. */
export type FunctionArgs<TAbi extends Abi, F extends string> = Extract<
  AbiFunctionItem<TAbi>,
  { name: F }
>['inputs'] extends infer I extends readonly AbiParameter[]
  ? AbiParametersType<I, 'in'>
  : never;

/** What function `F` returns: nothing, its single output, or a tuple of its outputs. */
export type FunctionResult<TAbi extends Abi, F extends string> = Extract<
  AbiFunctionItem<TAbi>,
  { name: F }
>['outputs'] extends infer O extends readonly AbiParameter[]
  ? AbiResultType<O>
  : never;

/** What a call with outputs `O` resolves to: nothing, the single output, or a tuple. */
export type AbiResultType<O extends readonly AbiParameter[]> = O extends readonly []
  ? undefined
  : O extends readonly [infer Only extends AbiParameter]
    ? AbiParameterType<Only, 'out'>
    : AbiParametersType<O, 'out'>;

/** The event items of an ABI. */
export type AbiEventItem<TAbi extends Abi> = Extract<TAbi[number], { type: 'event'; name: string }>;

/** Names of the events of an ABI. */
export type EventName<TAbi extends Abi> = AbiEventItem<TAbi>['name'];

/** The decoded arguments of event `E`, by parameter name. */
export type EventArgs<TAbi extends Abi, E extends string> = Extract<
  AbiEventItem<TAbi>,
  { name: E }
>['inputs'] extends infer I extends readonly AbiParameter[]
  ? AbiTupleType<I, 'out'>
  : never;

/** The indexed inputs of event `E`: the arguments its log carries as topics, which a query can filter on. */
export type EventIndexedInput<TAbi extends Abi, E extends string> = Extract<
  NonNullable<Extract<AbiEventItem<TAbi>, { name: E }>['inputs']>[number],
  { indexed: true }
>;

/**
 * What a topic filter accepts for one indexed parameter: a value of its Solidity type (an address or a `bytes32` as a
 * hex string, a `uintN` as a bigint or a number; a `string` or `bytes` is hashed as the log's topic is). A struct or an
 * array is logged as a hash of its encoding and cannot be filtered on (`never`).
 */
export type AbiTopicValue<P extends AbiParameter> = P['type'] extends 'tuple' | `${string}]`
  ? never
  : AbiParameterType<P, 'in'>;

/**
 * A filter on the indexed arguments of event `E`, by name: a value matches that value, an array of values matches any
 * of them (OR), and `null` or a missing name matches anything. Only indexed arguments can be named. For an ABI known
 * only as {@link Abi}, any name is accepted and checked when the query is built.
 *
 * @example
 * ```ts
 * import type { consentManagerAbi, EventFilterArgs } from '@mhrchain/contracts';
 *
 * const args: EventFilterArgs<typeof consentManagerAbi, 'AccessGranted'> = {
 *   patient: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
 *   doctor: ['0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', '0x90F79bf6EB2c4f870365E785982E1f101E93b906'],
 * };
 * ```
 */
export type EventFilterArgs<TAbi extends Abi, E extends string> = Abi extends TAbi
  ? { readonly [name: string]: unknown }
  : [EventIndexedInput<TAbi, E>] extends [never]
    ? { readonly [name: string]: never }
    : {
        readonly [P in EventIndexedInput<TAbi, E> as P['name'] & string]?:
          | AbiTopicValue<P>
          | readonly AbiTopicValue<P>[]
          | null;
      };

/** The custom-error items of an ABI. */
export type AbiErrorItem<TAbi extends Abi> = Extract<TAbi[number], { type: 'error'; name: string }>;

/** Names of the custom errors of an ABI. */
export type ErrorName<TAbi extends Abi> = AbiErrorItem<TAbi>['name'];

/** The decoded arguments of custom error `N`, by parameter name. */
export type ErrorArgs<TAbi extends Abi, N extends string> = Extract<
  AbiErrorItem<TAbi>,
  { name: N }
>['inputs'] extends infer I extends readonly AbiParameter[]
  ? AbiTupleType<I, 'out'>
  : never;
