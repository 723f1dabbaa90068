// The file format of the editor's records (registered as `rihla-yaml` by rihla-editor.js):
// YAML written as `rihla check` reads it. Saving a file rewrites only the records that changed;
// the others, and the comments around them, are copied from the file byte for byte.
import { Document, Scalar, isMap, isSeq, parseDocument, visit } from './yaml/index.js';

// Decap hands the format parsed data, not the file: the text each file was read from is
// kept under a key of its data, so that saving rewrites only the records that changed.
export const SOURCE_KEY = '__rihla_source';
const sources = [];

// Plain words YAML 1.1 (PyYAML, the loader) would not read as text. A bare day stays plain: the record format.
const YAML11_NOT_TEXT = new RegExp([
  '^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$',
  '^(?:~|null|Null|NULL)$',
  '^[-+]?(?:0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)$',
  '^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+]?[0-9]+)?$',
  '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*$',
  '^[-+]?\\.(?:inf|Inf|INF)$|^\\.(?:nan|NaN|NAN)$',
  '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ]|\\s+)[0-9]',
  '^(?:=|<<)$',
].join('|'));
const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

function empty(value) {
  return value == null || value === '' || (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}

// What a record means, without the empty values a form leaves behind (an empty field is an absent one).
function prune(value) {
  if (Array.isArray(value)) return value.map(prune).filter(item => !empty(item)); // an empty item a form left
  if (value && typeof value === 'object') {
    const kept = {};
    for (const [key, item] of Object.entries(value)) {
      const pruned = prune(item);
      if (!empty(pruned)) kept[key] = pruned;
    }
    return kept;
  }
  return value;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function quoteAsLoaderReads(node) {
  visit(node, {
    Scalar(_, scalar) {
      if (typeof scalar.value === 'string' && !DAY.test(scalar.value) && YAML11_NOT_TEXT.test(scalar.value)) {
        scalar.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
}

// The original node where its meaning did not change (its comments and layout stay); a new node otherwise.
function merge(doc, node, value) {
  if (node && same(prune(node.toJSON()), prune(value))) return node;
  if (isMap(node) && value && typeof value === 'object' && !Array.isArray(value)) {
    const wanted = prune(value);
    for (const pair of [...node.items]) {
      const key = String(pair.key && pair.key.value !== undefined ? pair.key.value : pair.key);
      if (!(key in wanted)) node.delete(pair.key);
    }
    for (const [key, item] of Object.entries(wanted)) {
      const pair = node.items.find(p => String(p.key && p.key.value !== undefined ? p.key.value : p.key) === key);
      if (pair) pair.value = merge(doc, pair.value, item);
      else node.set(doc.createNode(key), fresh(doc, item));
    }
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    const byId = new Map(node.items.filter(isMap).map(item => [item.get('id'), item]));
    node.items = prune(value).map((item, index) => {
      const old = item && typeof item === 'object' && item.id !== undefined ? byId.get(item.id) : node.items[index];
      return old !== undefined ? merge(doc, old, item) : fresh(doc, item);
    });
    return node;
  }
  return fresh(doc, value);
}

function fresh(doc, value) {
  const node = doc.createNode(prune(value), { aliasDuplicateObjects: false });
  quoteAsLoaderReads(node);
  return node;
}

// No folding of long lines: a changed text stays on the lines it was typed on.
const STRINGIFY = { lineWidth: 0, indentSeq: true, flowCollectionPadding: false, aliasDuplicateObjects: false };

// One record (an item of a list section) as text at the list's indentation.
function recordText(doc, node, indent) {
  const single = new Document(null, { version: '1.2' });
  single.contents = single.createNode([]);
  single.contents.items = [node];
  const text = single.toString(STRINGIFY);
  return text.replace(/\n$/, '').split('\n').map(line => (line ? indent + line : line)).join('\n') + '\n';
}

function lineStart(text, offset) {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineAfter(text, offset) {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end + 1;
}

// Rewrites one list section in place: unchanged records are copied from the file as they were.
function spliceSection(raw, doc, seq, records, regionEnd) {
  const items = seq.items;
  if (!items.length || !items.every(isMap) || seq.flow) return null;
  const starts = items.map(item => lineStart(raw, item.range[0]));
  const indent = raw.slice(starts[0], raw.lastIndexOf('-', items[0].range[0]));
  if (!/^ *$/.test(indent)) return null;
  const parts = items.map((item, index) => {
    const recordEnd = lineAfter(raw, item.range[1] - 1);
    const next = index + 1 < items.length ? starts[index + 1] : regionEnd;
    return { id: item.get('id'), node: item, record: raw.slice(starts[index], recordEnd), trailer: raw.slice(recordEnd, Math.max(recordEnd, next)) };
  });
  const byId = new Map(parts.map(part => [part.id, part]));
  if (byId.size !== parts.length) return null;
  const blankBetween = parts.length > 1 && /^\s*\n/.test(parts[0].trailer);
  let text = '';
  for (const record of records) {
    const part = record && byId.get(record.id);
    if (part) {
      text += same(prune(part.node.toJSON()), prune(record)) ? part.record : recordText(doc, merge(doc, part.node, record), indent);
      text += part.trailer;
      byId.delete(record.id);
    } else {
      if (text && !text.endsWith('\n')) text += '\n';
      if (blankBetween && text && !/\n\s*\n$/.test(text)) text += '\n';
      text += recordText(doc, fresh(doc, record), indent);
    }
  }
  return { start: starts[0], end: Math.max(regionEnd, starts[0]), text };
}

function rewrite(raw, data) {
  const doc = parseDocument(raw, { version: '1.2', keepSourceTokens: false });
  if (doc.errors.length || !isMap(doc.contents)) return null;
  const original = doc.contents.toJSON();
  if (same(prune(original), prune(data))) return raw; // nothing changed: the file stays byte for byte
  const wanted = Object.keys(data).filter(key => !empty(data[key]) || key in original);
  const present = doc.contents.items.map(pair => String(pair.key.value));
  if (!same(wanted.slice().sort(), present.slice().sort())) return null;
  const edits = [];
  doc.contents.items.forEach((pair, index) => {
    const key = String(pair.key.value);
    if (same(prune(original[key]), prune(data[key]))) return;
    const next = doc.contents.items[index + 1];
    const regionEnd = next ? lineStart(raw, next.key.range[0]) : raw.length;
    const edit = isSeq(pair.value) && Array.isArray(data[key]) ? spliceSection(raw, doc, pair.value, data[key], regionEnd) : null;
    edits.push(edit);
  });
  if (edits.includes(null)) return null;
  let text = raw;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  return text;
}

export const recordsFormat = {
  fromFile(content) {
    const doc = parseDocument(content || '', { version: '1.2' });
    const data = doc.toJS() || {};
    sources.push(content || '');
    data[SOURCE_KEY] = sources.length - 1;
    return data;
  },
  toFile(data) {
    const { [SOURCE_KEY]: sourceIndex, ...records } = data;
    const raw = sourceIndex != null ? sources[sourceIndex] : '';
    if (raw.trim()) {
      const spliced = rewrite(raw, records);
      if (spliced !== null) return spliced;
      // Sections added, removed or reordered: the whole file is written again, its comments kept where they attach.
      const doc = parseDocument(raw, { version: '1.2' });
      doc.contents = merge(doc, doc.contents, records);
      return doc.toString(STRINGIFY);
    }
    const doc = new Document(null, { version: '1.2' });
    doc.contents = fresh(doc, records);
    return doc.toString(STRINGIFY);
  },
};
