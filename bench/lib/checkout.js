// Builds one commit of Weft into a temporary directory, so a benchmark measures a fixed
// revision even while the working tree (and its dist/) is being edited and rebuilt.
// `node bench/run.js --rev HEAD` uses it; the directory is removed afterwards.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './processes.js';

/** The commit and whether the working tree differs from it (for the record in BENCHMARKS.md). */
export function describeTree(root = ROOT) {
  try {
    const sha = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).trim() !== '';
    return `${sha}${dirty ? ' + uncommitted changes under src/' : ''}`;
  } catch {
    return 'not a git checkout';
  }
}

/** Extracts `rev` with `git archive`, links this repo's node_modules, compiles it; returns {dir, sha, remove}. */
export function buildRevision(rev) {
  const sha = execFileSync('git', ['-C', ROOT, 'rev-parse', '--verify', `${rev}^{commit}`], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), `weft-bench-${sha.slice(0, 7)}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    execSync(`git -C '${ROOT}' archive --format=tar ${sha} | tar -x -C '${dir}'`, { stdio: ['ignore', 'ignore', 'inherit'] });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.build.json')], { stdio: 'inherit' });
    if (!existsSync(join(dir, 'bin', 'weft.js'))) throw new Error(`${sha} has no bin/weft.js`);
  } catch (err) {
    remove();
    throw err;
  }
  return { dir, sha: sha.slice(0, 7), remove };
}
