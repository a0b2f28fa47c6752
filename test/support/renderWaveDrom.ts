import { createRequire } from 'node:module';

/** What the `wavedrom` npm package (3.x, CommonJS, untyped) offers for rendering without a browser. */
interface WaveDromLib {
  renderAny(index: number, source: unknown, skins: unknown): unknown;
  readonly waveSkin: unknown;
  readonly onml: { stringify(tree: unknown): string };
}

const wavedrom = createRequire(import.meta.url)('wavedrom') as WaveDromLib;

/**
 * Renders WaveDrom JSON with the `wavedrom` package, as its editor and CLI do:
 * an SVG document for a valid diagram, an empty `<div class="WaveDrom"/>` for
 * something it does not draw (an array of diagrams, for instance).
 */
export const renderWaveDrom = (source: unknown): string => wavedrom.onml.stringify(wavedrom.renderAny(0, source, wavedrom.waveSkin));

/** The lane names drawn in a rendered diagram (WaveDrom writes each as `<tspan>name</tspan>` in the lane's info text). */
export const drawnLaneNames = (svg: string): string[] =>
  [...svg.matchAll(/<text [^>]*class="info"[^>]*text-anchor="end"[^>]*><tspan>([^<]*)<\/tspan><\/text>/g)].map((m) => m[1]!);
