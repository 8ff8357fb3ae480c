/**
 * A terminal that reports 0 columns (under `script`, on CI runners, serial consoles) gets $COLUMNS or
 * 80: listr2 would otherwise wrap after every character. Kept across resizes.
 */
export function saneColumns(stream: NodeJS.WriteStream, env = process.env): void {
  if (!stream.isTTY) return;
  const fix = () => {
    if (!(stream.columns > 0)) stream.columns = Number(env.COLUMNS) > 0 ? Number(env.COLUMNS) : 80;
  };
  fix();
  stream.on('resize', fix);
}
