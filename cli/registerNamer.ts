import type { System } from '../system/System';

/** Register names by device and offset, from the devices' `registers` lists, for waveform labels. */
export const registerNamer = (system: System): ((source: string, offset: number) => string | undefined) => {
  const names = new Map<string, Map<number, string>>();
  for (const name of system.deviceNames) {
    const regs = system.device(name).registers ?? [];
    names.set(name, new Map(regs.map((r) => [r.offset, r.name])));
  }
  return (source, offset) => names.get(source)?.get(offset);
};
