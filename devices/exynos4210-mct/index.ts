export {
  EXYNOS4210_MCT_POLICY,
  EXYNOS4210_MCT_SNAPSHOT_VERSION,
  Exynos4210Mct,
  type Exynos4210MctGlobalSnapshot,
  type Exynos4210MctLocalSnapshot,
  type Exynos4210MctOptions,
  type Exynos4210MctSnapshot,
} from './Exynos4210Mct';
export { EXYNOS4210_MCT_REGISTERS } from './EXYNOS4210_MCT_REGISTERS';
export type { MctLocalState } from './MctLocalTimer';
