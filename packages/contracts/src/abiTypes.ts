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

type PrimitiveType<T extends string, M extends AbiMode> = T extends 'address'
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

type TupleType<C extends readonly AbiParameter[], M extends AbiMode> = {
  -readonly [P in C[number] as P['name'] & string]: AbiParameterType<P, M>;
};

/** The TypeScript type of one ABI parameter, for calls (`in`) or decoded results (`out`). */
export type AbiParameterType<P extends AbiParameter, M extends AbiMode> = P['type'] extends `${infer Inner}[]`
  ? readonly AbiParameterType<Omit<P, 'type'> & { type: Inner }, M>[]
  : P['type'] extends `${infer Inner}[${number}]`
    ? readonly AbiParameterType<Omit<P, 'type'> & { type: Inner }, M>[]
    : P['type'] extends 'tuple'
      ? P extends { components: infer C extends readonly AbiParameter[] }
        ? TupleType<C, M>
        : never
      : PrimitiveType<P['type'], M>;

/** The TypeScript tuple of a parameter list. */
export type AbiParametersType<Ps extends readonly AbiParameter[], M extends AbiMode> = {
  -readonly [K in keyof Ps]: Ps[K] extends AbiParameter ? AbiParameterType<Ps[K], M> : never;
};

type FunctionItem<TAbi extends Abi> = Extract<TAbi[number], { type: 'function'; name: string }>;

/** Names of the `view`/`pure` functions of an ABI. */
export type ReadFunctionName<TAbi extends Abi> = Extract<
  FunctionItem<TAbi>,
  { stateMutability: 'view' | 'pure' }
>['name'];

/** Names of the state-changing functions of an ABI. */
export type WriteFunctionName<TAbi extends Abi> = Extract<
  FunctionItem<TAbi>,
  { stateMutability: 'nonpayable' | 'payable' }
>['name'];

/** The argument tuple of function `F`. */
export type FunctionArgs<TAbi extends Abi, F extends string> = Extract<
  FunctionItem<TAbi>,
  { name: F }
>['inputs'] extends infer I extends readonly AbiParameter[]
  ? AbiParametersType<I, 'in'>
  : never;

/** What function `F` returns: nothing, its single output, or a tuple of its outputs. */
export type FunctionResult<TAbi extends Abi, F extends string> = Extract<
  FunctionItem<TAbi>,
  { name: F }
>['outputs'] extends infer O extends readonly AbiParameter[]
  ? ResultOf<O>
  : never;

type ResultOf<O extends readonly AbiParameter[]> = O extends readonly []
  ? undefined
  : O extends readonly [infer Only extends AbiParameter]
    ? AbiParameterType<Only, 'out'>
    : AbiParametersType<O, 'out'>;

type EventItem<TAbi extends Abi> = Extract<TAbi[number], { type: 'event'; name: string }>;

/** Names of the events of an ABI. */
export type EventName<TAbi extends Abi> = EventItem<TAbi>['name'];

/** The decoded arguments of event `E`, by parameter name. */
export type EventArgs<TAbi extends Abi, E extends string> = Extract<
  EventItem<TAbi>,
  { name: E }
>['inputs'] extends infer I extends readonly AbiParameter[]
  ? TupleType<I, 'out'>
  : never;

type ErrorItem<TAbi extends Abi> = Extract<TAbi[number], { type: 'error'; name: string }>;

/** Names of the custom errors of an ABI. */
export type ErrorName<TAbi extends Abi> = ErrorItem<TAbi>['name'];

/** The decoded arguments of custom error `N`, by parameter name. */
export type ErrorArgs<TAbi extends Abi, N extends string> = Extract<
  ErrorItem<TAbi>,
  { name: N }
>['inputs'] extends infer I extends readonly AbiParameter[]
  ? TupleType<I, 'out'>
  : never;
