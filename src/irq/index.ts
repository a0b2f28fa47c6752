export { IrqLine, type IrqSignal, type WatchOptions } from './IrqLine';
export { anyOf } from './anyOf';
export { irqEvents } from './irqEvents';
export { isIrqSignal } from './isIrqSignal';
export { IrqArgumentError } from './IrqArgumentError';
export { InterruptController, type InterruptControllerOptions } from './InterruptController';
