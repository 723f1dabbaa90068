// Rihla's additions to Decap CMS: the interface language, the four-language text
// widget, and a YAML format that writes records as `rihla check` reads them.
// The configuration itself is generated from the record model (rihla/editor/config.py).
import { SOURCE_KEY, recordsFormat } from './rihla-format.js';

const settings = JSON.parse(document.getElementById('rihla-editor-settings').textContent);
const codes = settings.languages.map(([code]) => code);

// ---------------------------------------------------------------- interface language
function chosenLanguage() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked && codes.includes(asked)) {
    localStorage.setItem('rihla-editor-language', asked);
    return asked;
  }
  const kept = localStorage.getItem('rihla-editor-language');
  if (kept && codes.includes(kept)) return kept;
  const browser = (navigator.language || '').slice(0, 2);
  return codes.includes(browser) ? browser : settings.default;
}

const LANGUAGE_NAMES = { fr: 'Français', nl: 'Nederlands', en: 'English', ar: 'العربية' };

function languageSwitch(current) {
  const nav = document.createElement('nav');
  nav.className = 'rihla-editor-languages';
  nav.setAttribute('aria-label', 'Language / Langue / Taal / اللغة');
  for (const [code, dir] of settings.languages) {
    const link = document.createElement('a');
    link.href = `?lang=${code}${location.hash}`;
    link.lang = code;
    link.dir = dir;
    link.textContent = LANGUAGE_NAMES[code] || code;
    if (code === current) link.setAttribute('aria-current', 'true');
    nav.append(link);
  }
  const style = document.createElement('style');
  style.textContent = `
    .rihla-editor-languages { position: fixed; inset-block-end: 0; inset-inline-start: 0; z-index: 1000;
      background: #fff; border: 1px solid #ccc; padding: 4px 8px; font: 13px sans-serif; display: flex; gap: 10px; }
    .rihla-editor-languages [aria-current] { font-weight: bold; }
    .rihla-text { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 8px; }
    .rihla-text label { display: flex; flex-direction: column; font-size: 12px; color: #555; }
    .rihla-text textarea, .rihla-text input { font: inherit; font-size: 15px; padding: 6px; border: 1px solid #ccc;
      border-radius: 4px; width: 100%; box-sizing: border-box; }
    .rihla-text textarea[dir=rtl], .rihla-text input[dir=rtl] { font-family: 'Noto Sans Arabic', sans-serif; }`;
  document.head.append(style);
  document.body.append(nav);
}

// ---------------------------------------------------------------- four-language texts
const h = window.h;
const createClass = window.createClass;

function textOf(value, language, source) {
  if (value == null) return '';
  if (typeof value === 'string') return language === source ? value : '';
  const text = value.get ? value.get(language) : value[language];
  return text == null ? '' : String(text);
}

function asObject(value, source) {
  if (value == null || value === '') return {};
  if (typeof value === 'string') return { [source]: value };
  return value.toJS ? value.toJS() : { ...value };
}

const TextControl = createClass({
  isValid() {
    const { field, value } = this.props;
    if (field.get('required') === false) return true;
    const texts = Object.values(asObject(value, field.get('source_language'))).filter(t => String(t || '').trim());
    return texts.length ? true : { error: { message: 'Write this text in at least one language.' } };
  },
  change(language, text) {
    const { field, value, onChange } = this.props;
    const texts = asObject(value, field.get('source_language'));
    if (text === '') delete texts[language];
    else texts[language] = text;
    onChange(Object.keys(texts).length ? texts : null);
  },
  render() {
    const { field, value, forID, classNameWrapper, setActiveStyle, setInactiveStyle } = this.props;
    const source = field.get('source_language');
    const directions = field.get('directions');
    const multiline = field.get('multiline');
    const slots = field.get('languages').toJS().map(language => {
      const dir = directions.get(language);
      const props = {
        id: language === 'fr' ? forID : `${forID}-${language}`,
        lang: language,
        dir,
        value: textOf(value, language, source),
        'data-language': language,
        onChange: event => this.change(language, event.target.value),
        onFocus: setActiveStyle,
        onBlur: setInactiveStyle,
      };
      const input = multiline ? h('textarea', { ...props, rows: 3 }) : h('input', { ...props, type: 'text' });
      return h('label', { key: language, dir }, h('span', null, LANGUAGE_NAMES[language] || language), input);
    });
    return h('div', { className: `${classNameWrapper} rihla-text`, 'data-field': field.get('name') }, slots);
  },
});

const TextPreview = createClass({
  render() {
    const { value, field } = this.props;
    const texts = asObject(value, field.get('source_language'));
    return h('div', null, Object.entries(texts).map(([language, text]) =>
      h('p', { key: language, lang: language, dir: language === 'ar' ? 'rtl' : 'ltr' }, text)));
  },
});

// ---------------------------------------------------------------- one file per page
// Decap keeps its editor mounted when only the address's entry changes (a hash typed or
// pasted, history): the form then still holds the file opened before, and saving writes it
// there, dropping what was deleted in a form that looked like another file's. So a change of
// entry in the address loads the page again, and a save whose form is not the address's
// file is refused.
const ENTRY_ROUTE = /^#\/collections\/([^/?]+)\/entries\/([^?]+)/;

function addressedEntry() {
  const match = ENTRY_ROUTE.exec(location.hash);
  return match ? `${match[1]}/${decodeURIComponent(match[2])}` : null;
}

function reloadOnEntryChange() {
  let shown = addressedEntry();
  window.addEventListener('hashchange', () => {
    // The address read now, not the event's: Decap puts the old address back when the
    // staff member keeps unsaved changes, and then nothing changed.
    const addressed = addressedEntry();
    if (shown && addressed && addressed !== shown) location.reload();
    else shown = addressed;
  });
}


function refuseSavingAnotherFile(CMS, language, config) {
  const files = new Map(config.collections.flatMap(collection =>
    collection.files.map(file => [`${collection.name}/${file.name}`, file])));
  CMS.registerEventListener({
    name: 'preSave',
    handler: ({ entry }) => {
      const held = `${entry.get('collection')}/${entry.get('slug')}`;
      const addressed = addressedEntry();
      const file = files.get(held);
      const sections = file ? file.fields.map(field => field.name) : [];
      const foreign = Object.keys(entry.get('data').toJS()).filter(key => key !== SOURCE_KEY && !sections.includes(key));
      if (addressed !== held || foreign.length) {
        const heldPath = entry.get('path') || held;
        const addressedPath = (files.get(addressed) || {}).file || addressed || '?';
        throw new Error(settings.messages[language].wrong_file.replace('{held}', heldPath).replace('{addressed}', addressedPath));
      }
    },
  });
}

// ---------------------------------------------------------------- start
async function start() {
  const language = chosenLanguage();
  const dir = (settings.languages.find(([code]) => code === language) || [language, 'ltr'])[1];
  document.documentElement.lang = language;
  document.documentElement.dir = dir;
  const CMS = window.CMS;
  if (settings.registered.includes(language)) {
    const strings = await (await fetch(`locale.${language}.json`)).json();
    CMS.registerLocale(language, strings);
  }
  const config = await (await fetch(`config.${language}.json`)).json();
  CMS.registerWidget('rihla-text', TextControl, TextPreview);
  CMS.registerCustomFormat('rihla-yaml', 'yml', recordsFormat);
  refuseSavingAnotherFile(CMS, language, config);
  CMS.init({ config });
  reloadOnEntryChange();
  languageSwitch(language);
}

start();
