// Validates a regular expression the way Contour does (Go regexp.Compile, i.e.
// regexp/syntax with Perl flags) before Envoy compiles it with RE2. A pattern that
// fails here would make Contour mark the whole HTTPProxy invalid.
//
// `pcreOnly` says whether PCRE (nginx) accepts the construct: lookarounds,
// backreferences, possessive quantifiers, `\Z` … are valid for nginx and simply
// not expressible; an unclosed group is invalid for both.

export type Re2Check = { ok: true } | { ok: false; reason: string; pcreOnly: boolean };

/** Go's limit on `{n,m}` counts, also applied to their nested product. */
const MAX_REPEAT = 1000;
/** Go's limit on the height of the parsed expression (ErrNestingDepth). */
const MAX_HEIGHT = 1000;

// Names \p{…} accepts in Go 1.21+ and in RE2: the general categories and the scripts.
// (Go 1.25 added aliases and loose matching; RE2 and older Contour builds do not have them.)
const UNICODE_CATEGORIES = 'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs';
const UNICODE_SCRIPTS = `Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki
  Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian
  Common Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs
  Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul
  Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian
  Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha
  Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi
  Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar
  Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian
  Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage
  Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada
  Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le
  Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi
  Wancho Warang_Citi Yezidi Yi Zanabazar_Square`;
const UNICODE_NAMES = new Set(['Any', ...UNICODE_CATEGORIES.split(' '), ...UNICODE_SCRIPTS.split(/\s+/)]);
const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);
/** Letters after `\` that Go reads as escapes (outside the octal, hex, class and unicode forms). */
const SIMPLE_ESCAPES = new Set(['a', 'f', 'n', 'r', 't', 'v']);
/** PCRE escapes RE2 lacks, with what they are. */
const PCRE_ESCAPES: Record<string, string> = {
  Z: '\\Z (end of text before a final newline)',
  K: '\\K (match start reset)',
  G: '\\G (start-of-match anchor)',
  C: '\\C (single byte)',
  R: '\\R (any newline)',
  X: '\\X (extended grapheme cluster)',
  h: '\\h (horizontal space)',
  H: '\\H (non-horizontal space)',
  V: '\\V (non-vertical space)',
  N: '\\N (not a newline)',
  e: '\\e (escape character)',
  c: '\\c (control character)',
  k: '\\k (named backreference)',
  g: '\\g (backreference)',
  E: '\\E without \\Q',
  o: '\\o{} (octal)',
};

class Re2Error {
  constructor(
    readonly reason: string,
    readonly pcreOnly = false,
  ) {}
}

/** A parsed operand: only what the repeat-size and height limits need. */
interface Node {
  /** Effective count of a `{n,m}` repeat (m, or n when unbounded). */
  count?: number;
  height: number;
  subs: Node[];
}

interface Frame {
  /** Operands of the current alternative. */
  concat: Node[];
  /** Finished alternatives. */
  alternatives: Node[];
  capture: boolean;
  /** A repeat right now would have no operand (start of group or alternative). */
  empty: boolean;
}

export function checkRe2(pattern: string): Re2Check {
  try {
    new Parser(pattern).parse();
    return { ok: true };
  } catch (e) {
    if (e instanceof Re2Error) return { ok: false, reason: e.reason, pcreOnly: e.pcreOnly };
    throw e;
  }
}

/** Whether a valid pattern has a `|` outside every group (`^a|b` is `(^a)|(b)`). */
export function hasTopLevelAlternation(pattern: string): boolean {
  try {
    return new Parser(pattern).parse();
  } catch (e) {
    if (e instanceof Re2Error) return false;
    throw e;
  }
}

const leaf = (): Node => ({ height: 1, subs: [] });
const wrap = (sub: Node, count?: number): Node => ({ height: sub.height + 1, subs: [sub], ...(count !== undefined ? { count } : {}) });
const group = (subs: Node[]): Node => (subs.length === 1 ? subs[0]! : { height: 1 + Math.max(0, ...subs.map((s) => s.height)), subs });

/** Go's repeatIsValid: nested `{n,m}` counts may not multiply beyond the limit. */
function repeatIsValid(node: Node, n: number): boolean {
  let budget = n;
  if (node.count !== undefined && node.count !== 0) {
    if (node.count > budget) return false;
    budget = Math.floor(budget / node.count);
  }
  return node.subs.every((s) => repeatIsValid(s, budget));
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);
const isLoneSurrogate = (c: string): boolean => c.length === 1 && c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdfff;

class Parser {
  private readonly s: string[];
  private i = 0;
  private readonly stack: Frame[] = [];
  private readonly names = new Set<string>();

  constructor(pattern: string) {
    this.s = Array.from(pattern);
    const bad = this.s.findIndex(isLoneSurrogate);
    if (bad >= 0) throw new Re2Error(`invalid UTF-8 at character ${bad + 1}`);
  }

  private get frame(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  private peek(offset = 0): string | undefined {
    return this.s[this.i + offset];
  }

  private startsWith(text: string): boolean {
    return this.s.slice(this.i, this.i + text.length).join('') === text;
  }

  private operand(node: Node): void {
    this.frame.concat.push(node);
    this.frame.empty = false;
    if (node.height > MAX_HEIGHT) throw new Re2Error('expression nests too deeply');
  }

  /** Parses the whole pattern; true when it has a top-level alternation. */
  parse(): boolean {
    this.stack.push({ concat: [], alternatives: [], capture: false, empty: true });
    let lastRepeat = false;
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      let repeat = false;
      switch (c) {
        case '(':
          this.openGroup();
          break;
        case ')':
          this.closeGroup();
          break;
        case '|':
          this.frame.alternatives.push(group(this.frame.concat));
          this.frame.concat = [];
          this.frame.empty = true;
          this.i++;
          break;
        case '*':
        case '+':
        case '?':
          this.repeat(c, lastRepeat, 1);
          repeat = true;
          break;
        case '{': {
          const parsed = this.parseRepeatBraces();
          if (!parsed) {
            this.operand(leaf());
            this.i++;
            break;
          }
          const { min, max, length } = parsed;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            throw new Re2Error(`invalid repeat count ${this.s.slice(this.i, this.i + length).join('')} (at most ${MAX_REPEAT}, and min ≤ max)`, min >= 0 && min <= 65535 && max <= 65535 && (max < 0 || min <= max));
          }
          this.repeat(this.s.slice(this.i, this.i + length).join(''), lastRepeat, length, max < 0 ? min : max, min >= 2 || max >= 2);
          repeat = true;
          break;
        }
        case '[':
          this.parseClass();
          this.operand(leaf());
          break;
        case '\\':
          this.parseTopEscape();
          break;
        default:
          // Literals, `.`, `^` and `$` are all operands.
          this.operand(leaf());
          this.i++;
      }
      lastRepeat = repeat;
    }
    if (this.stack.length > 1) throw new Re2Error('missing closing )');
    return this.frame.alternatives.length > 0;
  }

  /** `*`, `+`, `?`, `{n,m}`, each optionally followed by `?` (non-greedy). */
  private repeat(op: string, lastRepeat: boolean, length: number, count?: number, checkNested = false): void {
    let end = this.i + length;
    const lazy = this.s[end] === '?';
    if (lazy) end++;
    const text = this.s.slice(this.i, end).join('');
    if (lastRepeat) {
      // Perl stacks no quantifiers: `a**` is an error; `a*+`/`a++` are PCRE's possessive forms.
      const possessive = !lazy && this.s[this.i] === '+';
      throw new Re2Error(possessive ? `possessive quantifier ${op}` : `invalid nested repetition operator ${text}`, possessive);
    }
    const f = this.frame;
    const sub = f.concat[f.concat.length - 1];
    if (f.empty || !sub) throw new Re2Error(`missing argument to repetition operator ${text}`);
    const node = wrap(sub, count);
    if (checkNested && !repeatIsValid(node, MAX_REPEAT)) throw new Re2Error(`nested repeat counts multiply beyond ${MAX_REPEAT}`, true);
    f.concat[f.concat.length - 1] = node;
    if (node.height > MAX_HEIGHT) throw new Re2Error('expression nests too deeply');
    this.i = end;
  }

  /** `{n}`, `{n,}`, `{n,m}`: anything else is a literal `{`. n = -1 when too large. */
  private parseRepeatBraces(): { min: number; max: number; length: number } | undefined {
    let j = this.i + 1;
    const int = (): number | undefined => {
      if (!isDigit(this.s[j])) return undefined;
      // Go: no leading zeros (then `{` is a literal).
      if (this.s[j] === '0' && isDigit(this.s[j + 1])) return undefined;
      let n = 0;
      while (isDigit(this.s[j])) {
        if (n >= 1e8) n = -1;
        else if (n >= 0) n = n * 10 + Number(this.s[j]);
        j++;
      }
      return n;
    };
    const min = int();
    if (min === undefined) return undefined;
    let max = min;
    if (this.s[j] === ',') {
      j++;
      if (this.s[j] === '}') max = -1;
      else {
        const m = int();
        if (m === undefined) return undefined;
        max = m;
        if (m === -1) return { min, max: MAX_REPEAT + 1, length: j + 1 - this.i };
      }
    }
    if (this.s[j] !== '}') return undefined;
    return { min, max, length: j + 1 - this.i };
  }

  private openGroup(): void {
    if (this.peek(1) !== '?') {
      this.push(true);
      this.i++;
      return;
    }
    // (?P<name>…) and (?<name>…) (Go 1.22+, RE2 2023+)
    if (this.startsWith('(?P<') || (this.startsWith('(?<') && this.peek(3) !== '=' && this.peek(3) !== '!')) {
      const start = this.i + (this.peek(2) === 'P' ? 4 : 3);
      const end = this.s.indexOf('>', start);
      if (end < 0) throw new Re2Error('invalid named capture: no closing >');
      const name = this.s.slice(start, end).join('');
      if (name === '' || !/^[A-Za-z0-9_]+$/.test(name)) throw new Re2Error(`invalid named capture name ${JSON.stringify(name)}`);
      if (this.names.has(name)) throw new Re2Error(`duplicate capture group name ${name}`);
      this.names.add(name);
      this.push(true);
      this.i = end + 1;
      return;
    }
    const pcre: [string, string][] = [
      ['(?=', 'lookahead'],
      ['(?!', 'negative lookahead'],
      ['(?<=', 'lookbehind'],
      ['(?<!', 'negative lookbehind'],
      ['(?>', 'atomic group'],
      ['(?#', 'comment group'],
      ['(?|', 'branch reset group'],
      ['(?(', 'conditional'],
      ['(?R)', 'recursion'],
      ['(?P=', 'named backreference'],
      ['(?P>', 'subroutine call'],
      ['(?&', 'subroutine call'],
      ['(?C', 'callout'],
    ];
    for (const [prefix, what] of pcre) if (this.startsWith(prefix)) throw new Re2Error(`${what} ${prefix}…`, true);
    if (/^\(\?[+-]?\d/.test(this.s.slice(this.i, this.i + 4).join(''))) throw new Re2Error('subroutine call (?n)', true);
    // Flags: (?imsU-imsU) or (?imsU-imsU:…)
    let j = this.i + 2;
    let negated = false;
    let sawFlag = false;
    for (;;) {
      const c = this.s[j];
      if (c === undefined) throw new Re2Error('missing closing )');
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        sawFlag = true;
      } else if (c === '-') {
        if (negated) break;
        negated = true;
        sawFlag = false;
      } else if (c === ':' || c === ')') {
        if (negated && !sawFlag) break;
        if (c === ':') this.push(false);
        this.i = j + 1;
        return;
      } else break;
      j++;
    }
    const text = this.s.slice(this.i, j + 1).join('');
    // PCRE flags RE2 lacks (x, n, J, X …) are PCRE-only; anything else is an error for both.
    throw new Re2Error(`invalid or unsupported Perl syntax ${text}`, /^\(\?[imsUxnJX^-]*[xnJX^]/.test(text));
  }

  private push(capture: boolean): void {
    this.stack.push({ concat: [], alternatives: [], capture, empty: true });
  }

  private closeGroup(): void {
    if (this.stack.length === 1) throw new Re2Error('unexpected )');
    const f = this.stack.pop()!;
    const alternatives = [...f.alternatives, group(f.concat)];
    const body = group(alternatives);
    this.operand(f.capture ? wrap(body) : body);
    this.i++;
  }

  private parseTopEscape(): void {
    const c = this.peek(1);
    if (c === undefined) throw new Re2Error('trailing backslash at end of expression');
    if (c === 'A' || c === 'z' || c === 'b' || c === 'B') {
      this.operand(leaf());
      this.i += 2;
      return;
    }
    if (c === 'Q') {
      // \Q…\E: literal text up to \E (or the end).
      const end = this.s.findIndex((ch, k) => k > this.i + 1 && ch === '\\' && this.s[k + 1] === 'E');
      const stop = end < 0 ? this.s.length : end;
      for (let k = this.i + 2; k < stop; k++) this.operand(leaf());
      this.i = end < 0 ? this.s.length : end + 2;
      return;
    }
    this.parseEscape(false);
    this.operand(leaf());
  }

  /** One escape at `\`: Perl and Unicode classes, octal, hex, simple and punctuation escapes. */
  private parseEscape(inClass: boolean): void {
    const c = this.peek(1);
    if (c === undefined) throw new Re2Error('trailing backslash at end of expression');
    if (!isAlnum(c)) {
      // Escaped ASCII punctuation is the character itself; other characters may not be escaped.
      if (c.codePointAt(0)! < 0x80) {
        this.i += 2;
        return;
      }
      throw new Re2Error(`invalid escape sequence \\${c}`);
    }
    if ('dDsSwW'.includes(c)) {
      this.i += 2;
      return;
    }
    if (c === 'p' || c === 'P') {
      this.parseUnicodeClass();
      return;
    }
    if (c === '0' || (isOctal(c) && isOctal(this.peek(2)))) {
      // Octal: \0, \0nn, or \nnn after a non-zero digit.
      let j = this.i + 2;
      for (let k = 0; k < 2 && isOctal(this.s[j]); k++) j++;
      this.i = j;
      return;
    }
    if (isDigit(c)) throw new Re2Error(`backreference \\${c}`, c !== '0');
    if (c === 'x') {
      if (this.peek(2) === '{') {
        const end = this.s.indexOf('}', this.i + 3);
        const hex = end < 0 ? '' : this.s.slice(this.i + 3, end).join('');
        if (end < 0 || hex === '' || !/^[0-9a-fA-F]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) throw new Re2Error(`invalid escape sequence \\x{${hex}`);
        this.i = end + 1;
        return;
      }
      if (!isHex(this.peek(2)) || !isHex(this.peek(3))) throw new Re2Error('invalid escape sequence \\x (two hex digits or \\x{…})');
      this.i += 4;
      return;
    }
    if (SIMPLE_ESCAPES.has(c)) {
      this.i += 2;
      return;
    }
    if (inClass && c === 'b') throw new Re2Error('invalid escape sequence \\b in a character class (PCRE: backspace)', true);
    const pcre = PCRE_ESCAPES[c];
    if (pcre) throw new Re2Error(pcre, true);
    throw new Re2Error(`invalid escape sequence \\${c}`);
  }

  /** \pL, \p{Name}, \p{^Name}, \PL … */
  private parseUnicodeClass(): void {
    let j = this.i + 2;
    let name: string;
    if (this.s[j] === '{') {
      const end = this.s.indexOf('}', j);
      if (end < 0) throw new Re2Error('invalid character class range: \\p{ without }');
      name = this.s.slice(j + 1, end).join('');
      j = end + 1;
    } else {
      const ch = this.s[j];
      if (ch === undefined) throw new Re2Error('invalid character class range: \\p at the end');
      name = ch;
      j++;
    }
    const bare = name.startsWith('^') ? name.slice(1) : name;
    if (!UNICODE_NAMES.has(bare)) throw new Re2Error(`invalid character class range: unknown Unicode class ${bare}`, false);
    this.i = j;
  }

  /** `[…]`: ranges, escapes, Perl/Unicode/POSIX classes; `]` first is a literal. */
  private parseClass(): void {
    const start = this.i;
    this.i++;
    if (this.peek() === '^') this.i++;
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new Re2Error(`missing closing ] in ${this.s.slice(start).join('')}`);
      if (c === ']' && !first) {
        this.i++;
        return;
      }
      first = false;
      if (this.startsWith('[:')) {
        const end = this.s.findIndex((ch, k) => k > this.i + 1 && ch === ':' && this.s[k + 1] === ']');
        if (end >= 0) {
          const name = this.s.slice(this.i + 2, end).join('');
          const bare = name.startsWith('^') ? name.slice(1) : name;
          if (!POSIX_CLASSES.has(bare)) throw new Re2Error(`invalid character class range: unknown POSIX class [:${name}:]`);
          this.i = end + 2;
          continue;
        }
      }
      if (c === '\\' && this.peek(1) !== undefined && 'dDsSwWpP'.includes(this.peek(1)!)) {
        this.parseEscape(true);
        continue;
      }
      const lo = this.classChar();
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.i++;
        const hi = this.classChar();
        if (hi < lo) throw new Re2Error('invalid character class range: its end is before its start');
      }
    }
  }

  /** One character of a class (possibly escaped); returns its code point for range checks. */
  private classChar(): number {
    const c = this.peek()!;
    if (c !== '\\') {
      this.i++;
      return c.codePointAt(0)!;
    }
    const start = this.i;
    const next = this.peek(1);
    // A class escape (\d, \pL …) cannot end a range.
    if (next !== undefined && 'dDsSwWpP'.includes(next)) throw new Re2Error(`invalid escape sequence \\${next} as a range end`);
    this.parseEscape(true);
    const text = this.s.slice(start + 1, this.i).join('');
    if (next === 'x') return parseInt(text.replace(/^x\{?|\}$/g, ''), 16);
    if (next !== undefined && isDigit(next)) return parseInt(text, 8);
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    return simple[text] ?? text.codePointAt(0)!;
  }
}
