import { ImageError } from '@deconvnet/image';

/** One element of a parsed XML document; `text` is the concatenated character data directly inside it (trimmed). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string, source: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (_m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      if (!Number.isFinite(cp) || cp > 0x10ffff) throw new ImageError(source, `bad character reference &${e};`);
      return String.fromCodePoint(cp);
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new ImageError(source, `unknown XML entity &${e};`);
    return v;
  });
}

/**
 * A small, strict XML reader, enough for VOC annotation files: elements, attributes, text, comments, CDATA,
 * processing instructions and a DOCTYPE (skipped). Mismatched or unclosed tags are errors naming `source`.
 * Not a validating parser, and namespaces are kept as part of the tag name.
 */
export function parseXml(text: string, source = 'XML'): XmlElement {
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const texts: string[][] = [[]];
  const fail = (problem: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new ImageError(source, `malformed XML at line ${line}: ${problem}`);
  };
  while (i < n) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk.length) {
      if (stack.length === 1) {
        if (chunk.trim()) fail('text outside the root element');
      } else texts[texts.length - 1]!.push(decodeEntities(chunk, source));
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      if (end < 0) fail('unterminated CDATA section');
      if (stack.length === 1) fail('CDATA outside the root element');
      texts[texts.length - 1]!.push(text.slice(i + 9, end));
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) fail('unterminated processing instruction');
      i = end + 2;
    } else if (text.startsWith('<!', i)) {
      // DOCTYPE (possibly with an internal subset in brackets)
      let depth = 0;
      let j = i + 2;
      for (; j < n; j++) {
        const c = text[j];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      if (j >= n) fail('unterminated declaration');
      i = j + 1;
    } else if (text[i + 1] === '/') {
      const end = text.indexOf('>', i);
      if (end < 0) fail('unterminated closing tag');
      const name = text.slice(i + 2, end).trim();
      const top = stack[stack.length - 1]!;
      if (stack.length === 1 || top.name !== name) fail(`closing tag </${name}> does not match <${top.name}>`);
      top.text = texts.pop()!.join('').trim();
      stack.pop();
      i = end + 1;
    } else {
      const m = /^<([A-Za-z_:][\w:.-]*)/.exec(text.slice(i, i + 256));
      if (!m) fail('bad tag name');
      const name = m![1]!;
      i += m![0].length;
      const attributes: Record<string, string> = {};
      const attrRe = /\s*([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;
      for (;;) {
        attrRe.lastIndex = i;
        const a = attrRe.exec(text);
        if (!a) break;
        attributes[a[1]!] = decodeEntities(a[3] ?? a[4] ?? '', source);
        i = attrRe.lastIndex;
      }
      while (i < n && /\s/.test(text[i]!)) i++;
      const el: XmlElement = { name, attributes, children: [], text: '' };
      const parent = stack[stack.length - 1]!;
      if (parent === root && root.children.length) fail('more than one root element');
      parent.children.push(el);
      if (text.startsWith('/>', i)) {
        i += 2;
      } else if (text[i] === '>') {
        i += 1;
        stack.push(el);
        texts.push([]);
      } else fail(`bad attribute or unterminated tag <${name}>`);
    }
  }
  if (stack.length > 1) fail(`unclosed element <${stack[stack.length - 1]!.name}>`);
  const doc = root.children[0];
  if (!doc) throw new ImageError(source, 'malformed XML: no root element');
  return doc;
}

/** The first direct child named `name`, or undefined. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** All direct children named `name`, in document order. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}
