// Transport edge: the messaging port between controllers, its message schemas and the in-process implementation.
export { createInProcessTransport, type InProcessTransportOptions } from './in-process-transport.ts';
export * from './messages.ts';
export type { MessageHandler, Transport } from './transport.ts';
