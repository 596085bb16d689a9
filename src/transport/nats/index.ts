// NATS JetStream transport: streams per message family, hierarchy subjects, numbered links between processes.
export {
  type LinkSnapshot,
  type NatsTraffic,
  NatsTransport,
  type NatsTransportOptions,
} from './nats-transport.ts';
export { deleteRunStreams, ensureRunStreams } from './streams.ts';
export * from './subjects.ts';
