/**
 * A strict little XML parser for the tests of toJUnitXml: elements, attributes, text, the five
 * predefined entities and numeric character references, an XML declaration. Anything malformed
 * (a tag not closed, closed in the wrong order, an unquoted or repeated attribute, a bare `&` or
 * `<`, an unknown entity, a character XML forbids, text outside the root) throws.
 */

/** A parsed element. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  /** The element's own text, entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '<') throw new SyntaxError(`bare < at ${where + i}`);
    if (c !== '&') {
      out += c;
      continue;
    }
    const end = raw.indexOf(';', i);
    if (end === -1) throw new SyntaxError(`bare & at ${where + i}`);
    const ref = raw.slice(i + 1, end);
    if (ref.startsWith('#x')) out += String.fromCodePoint(parseInt(ref.slice(2), 16));
    else if (ref.startsWith('#')) out += String.fromCodePoint(parseInt(ref.slice(1), 10));
    else if (ref in ENTITIES) out += ENTITIES[ref];
    else throw new SyntaxError(`unknown entity &${ref}; at ${where + i}`);
    i = end;
  }
  return out;
}

function checkChars(text: string): void {
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
    if (!ok) throw new SyntaxError(`character U+${cp.toString(16)} is not allowed in XML`);
  }
}

/** Parses `xml`, returning the root element. @throws SyntaxError when it is not well-formed. */
export function parseXml(xml: string): XmlElement {
  checkChars(xml);
  let i = 0;
  if (xml.startsWith('<?xml')) {
    i = xml.indexOf('?>');
    if (i === -1) throw new SyntaxError('unterminated declaration');
    i += 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (stack.length > 0) stack[stack.length - 1].text += decode(text, i);
    else if (text.trim() !== '') throw new SyntaxError(`text outside the root at ${i}`);
    if (lt === -1) break;
    i = lt;
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      const top = stack.pop();
      if (!m || !top || top.name !== m[0]) throw new SyntaxError(`unexpected </${m?.[0]}> at ${i}`);
      i += 2 + m[0].length;
      while (xml[i] === ' ' || xml[i] === '\n') i++;
      if (xml[i] !== '>') throw new SyntaxError(`bad closing tag at ${i}`);
      i++;
      continue;
    }
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) throw new SyntaxError(`bad tag at ${i}`);
    const el: XmlElement = { name: m[0], attributes: {}, children: [], text: '' };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0].length;
      i += ws;
      if (xml.startsWith('/>', i) || xml[i] === '>') break;
      if (ws === 0) throw new SyntaxError(`attributes need white space before them at ${i}`);
      const a = /^([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(xml.slice(i));
      if (!a) throw new SyntaxError(`bad attribute at ${i}: ${xml.slice(i, i + 30)}`);
      if (a[1] in el.attributes) throw new SyntaxError(`repeated attribute ${a[1]} at ${i}`);
      el.attributes[a[1]] = decode(a[2], i);
      i += a[0].length;
    }
    if (stack.length > 0) stack[stack.length - 1].children.push(el);
    else if (root === undefined) root = el;
    else throw new SyntaxError(`a second root element at ${i}`);
    if (xml.startsWith('/>', i)) i += 2;
    else {
      i += 1;
      stack.push(el);
    }
  }
  if (stack.length > 0) throw new SyntaxError(`<${stack[stack.length - 1].name}> is never closed`);
  if (root === undefined) throw new SyntaxError('no root element');
  return root;
}
