// The list of CLI commands; each lives in its own file under commands/.
import type { RegisterCommand } from '../output.ts';
import { registerMarketCommand } from './market.ts';

export const COMMANDS: readonly RegisterCommand[] = [registerMarketCommand];
