/** One pair of `ls` / `tree`: `Key` is relative to the prefix asked for, `Path` is the full key. */
export class KeyPair {
  constructor(
    readonly Path: string,
    readonly Key: string,
    readonly Value: string,
    readonly CreateIndex: number,
    readonly ModifyIndex: number,
    readonly LockIndex: number,
    readonly Flags: number,
    readonly Session: string,
  ) {}

  /** The same pair under another relative key (byKey strips the top directory). */
  withKey(key: string): KeyPair {
    return new KeyPair(this.Path, key, this.Value, this.CreateIndex, this.ModifyIndex, this.LockIndex, this.Flags, this.Session);
  }
}
