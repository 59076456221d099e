/**
 * Incremental framer for a stream of back-to-back JSON values (no delimiter),
 * as sent by OVSDB over JSON-RPC.
 *
 * Bytes are scanned exactly once: the framer keeps its lexical state
 * (nesting depth, inside-string, after-backslash) between chunks and only
 * remembers the byte slices of the value in progress. Every structural byte
 * of JSON is ASCII and every byte of a multibyte UTF-8 sequence is >= 0x80,
 * so scanning bytes is safe; a complete value is decoded to text once.
 */

export class FramingError extends Error {
  override name = 'FramingError';
  constructor(message: string, readonly kind: 'malformed' | 'oversize') {
    super(message);
  }
}

export interface FramerOptions {
  /** Maximum size in bytes of one JSON value (default 1 GiB). */
  maxMessageSize?: number;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export class JsonFramer {
  private readonly maxMessageSize: number;
  /** Completed slices of the value in progress. */
  private pieces: Buffer[] = [];
  /** Bytes of the value in progress (including pieces and current chunk part). */
  private size = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private failed: FramingError | undefined;

  constructor(options: FramerOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? 1024 * 1024 * 1024;
  }

  /** True while part of a value has been received but not its end. */
  get inProgress(): boolean {
    return this.depth > 0;
  }

  /**
   * Feed a chunk; returns the JSON values completed by it, in order.
   * Throws FramingError on malformed input or an oversized value; after an
   * error the framer stays failed (the stream must be discarded).
   */
  push(chunk: Uint8Array): unknown[] {
    if (this.failed) throw this.failed;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: unknown[] = [];
    const n = buf.length;
    let start = this.depth > 0 ? 0 : -1; // start of the current value within buf
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    let nextBackslash = -2; // position of the next backslash in buf; -1: none left; -2: not searched yet
    let i = 0;
    try {
      while (i < n) {
        if (depth === 0) {
          // Between values: skip whitespace, expect '{' or '['.
          const b = buf[i]!;
          if (isWhitespace(b)) {
            i++;
            continue;
          }
          if (b !== OPEN_BRACE && b !== OPEN_BRACKET) {
            throw new FramingError(
              `malformed JSON: unexpected byte 0x${b.toString(16)} between values`,
              'malformed',
            );
          }
          start = i;
          this.size = 0;
          depth = 1;
          i++;
          continue;
        }
        if (inString) {
          // Fast path: jump to the next quote or backslash with native searches
          // (memchr); the next backslash is remembered until passed, so each
          // byte is searched at most once per character class.
          if (escape) {
            escape = false;
            i++;
            continue;
          }
          const q = buf.indexOf(QUOTE, i);
          if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = buf.indexOf(BACKSLASH, i);
          if (nextBackslash !== -1 && (q === -1 || nextBackslash < q)) {
            escape = true;
            i = nextBackslash + 1;
          } else if (q !== -1) {
            inString = false;
            i = q + 1;
          } else {
            i = n;
            break;
          }
          continue;
        }
        const b = buf[i]!;
        if (b === QUOTE) {
          inString = true;
        } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          depth++;
        } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) {
            const end = i + 1;
            const len = this.size + (end - start);
            if (len > this.maxMessageSize) {
              throw new FramingError(
                `message of ${len} bytes exceeds the maximum of ${this.maxMessageSize}`,
                'oversize',
              );
            }
            const part = buf.subarray(start, end);
            const whole = this.pieces.length === 0 ? part : Buffer.concat([...this.pieces, part], len);
            this.pieces = [];
            this.size = 0;
            start = -1;
            let value: unknown;
            try {
              value = JSON.parse(whole.toString('utf8'));
            } catch (e) {
              throw new FramingError(`malformed JSON: ${(e as Error).message}`, 'malformed');
            }
            out.push(value);
          }
        }
        i++;
      }
      if (depth > 0 && start >= 0) {
        const part = buf.subarray(start, n);
        this.size += part.length;
        if (this.size > this.maxMessageSize) {
          throw new FramingError(
            `message of more than ${this.maxMessageSize} bytes (limit exceeded)`,
            'oversize',
          );
        }
        // Copy: the caller may reuse the chunk's memory.
        this.pieces.push(Buffer.from(part));
      }
    } catch (e) {
      this.failed =
        e instanceof FramingError ? e : new FramingError(String((e as Error)?.message ?? e), 'malformed');
      this.pieces = [];
      throw this.failed;
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    return out;
  }

  /** Forget any partial value and clear a failure (for reuse on a new stream). */
  reset(): void {
    this.pieces = [];
    this.size = 0;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.failed = undefined;
  }
}
