/**
 * Register map of the GPT of the i.MX6DL/S, 6SL, 6SX, 6UL/ULL, 7 and 8M (the `'imx6dl'` variant
 * of `ImxGpt`; Linux's "imx6dl" GPT data): the `IMX_GPT_REGISTERS` layout plus the
 * 24 MHz crystal path, CR.EN_24M (bit 10) and PR.PRESCALER24M (bits 15:12). See
 * IMX_GPT_REGISTERS.ts for the fields.
 */
import { gptRegisterMap } from './IMX_GPT_REGISTERS';

/** The GPT of the i.MX6DL class (variant `'imx6dl'`): with CR.EN_24M and PR.PRESCALER24M. */
export const IMX6DL_GPT_REGISTERS = gptRegisterMap(true);
