/**
 * The script of the /admin page, served as /admin/admin.js so the page runs
 * under the same no-inline-script policy as the others. Plain browser
 * JavaScript: it talks to the admin API with the token the operator types,
 * kept in sessionStorage (gone with the tab), and renders with textContent only.
 */
export const adminPageScript = String.raw`
'use strict';
const $ = (id) => document.getElementById(id);
const tokenInput = $('token');
tokenInput.value = sessionStorage.getItem('dj-admin-token') || '';

function headers(json) {
  const h = { Authorization: 'Bearer ' + tokenInput.value.trim() };
  if (json) h['Content-Type'] = 'application/json';
  return h;
}

function say(id, text, bad) {
  const el = $(id);
  el.textContent = text;
  el.dataset.state = bad ? 'error' : 'ok';
}

async function call(method, path, body) {
  const res = await fetch(path, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  if (!res.ok) {
    const err = data && data.error ? data.error : { message: res.status + ' ' + res.statusText };
    throw new Error((err.field ? err.field + ': ' : '') + err.message);
  }
  return data;
}

// One group per line, forms separated by commas; a one-way expansion is "term => form, form".
function parseSynonyms(text) {
  const groups = [];
  const oneWay = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const arrow = line.indexOf('=>');
    const split = (s) => s.split(/[,，、]/).map((f) => f.trim()).filter((f) => f !== '');
    if (arrow >= 0) oneWay.push({ term: line.slice(0, arrow).trim(), alsoMatches: split(line.slice(arrow + 2)) });
    else groups.push(split(line));
  }
  return { groups, oneWay };
}

function formatSynonyms(s) {
  return [...s.groups.map((g) => g.join(', ')), ...s.oneWay.map((o) => o.term + ' => ' + o.alsoMatches.join(', '))].join('\n');
}

// "word [frequency] [tag]" per line, as in config/data/dictionary.txt.
function parseDictionary(text) {
  const words = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [word, second, third] = line.split(/\s+/);
    const entry = { word };
    if (second !== undefined && /^\d+$/.test(second)) {
      entry.frequency = Number(second);
      if (third !== undefined) entry.tag = third;
    } else if (second !== undefined) entry.tag = second;
    words.push(entry);
  }
  return { words };
}

function formatDictionary(d) {
  return d.words.map((e) => [e.word, e.frequency, e.tag].filter((v) => v !== undefined).join(' ')).join('\n');
}

async function follow(statusId, task) {
  for (;;) {
    say(statusId, '已保存，正在重新分词受影响的文章：' + task.scanned + ' / ' + task.total + '（已更新 ' + task.resegmented + ' 篇）');
    if (task.status === 'succeeded') {
      say(statusId, '已生效：检查了 ' + task.total + ' 篇文章，重新分词 ' + task.resegmented + ' 篇。');
      return;
    }
    if (task.status === 'failed') {
      say(statusId, '重新分词失败：' + (task.error || ''), true);
      return;
    }
    await new Promise((r) => setTimeout(r, 300));
    task = await call('GET', '/v1/admin/tasks/' + encodeURIComponent(task.id));
  }
}

async function load() {
  sessionStorage.setItem('dj-admin-token', tokenInput.value.trim());
  try {
    const synonyms = await call('GET', '/v1/admin/synonyms');
    const dictionary = await call('GET', '/v1/admin/dictionary');
    $('synonyms').value = formatSynonyms(synonyms);
    $('dictionary').value = formatDictionary(dictionary);
    $('shipped-synonyms').textContent = String(synonyms.shipped.groups + synonyms.shipped.oneWay);
    $('shipped-dictionary').textContent = String(dictionary.shipped);
    $('editor').hidden = false;
    say('login-status', '已登录');
  } catch (e) {
    $('editor').hidden = true;
    say('login-status', e.message, true);
  }
}

async function save(kind) {
  const statusId = kind + '-status';
  const body = kind === 'synonyms' ? parseSynonyms($('synonyms').value) : parseDictionary($('dictionary').value);
  try {
    say(statusId, '保存中…');
    const answer = await call('PUT', '/v1/admin/' + kind, body);
    await follow(statusId, answer.task);
  } catch (e) {
    say(statusId, e.message, true);
  }
}

async function download(kind, name) {
  const res = await fetch('/v1/admin/' + kind + '/export', { headers: headers(false) });
  if (!res.ok) return say(kind + '-status', '导出失败：' + res.status, true);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

$('login').addEventListener('submit', (e) => { e.preventDefault(); void load(); });
$('save-synonyms').addEventListener('click', () => void save('synonyms'));
$('save-dictionary').addEventListener('click', () => void save('dictionary'));
$('export-synonyms').addEventListener('click', () => void download('synonyms', 'synonyms.json'));
$('export-dictionary').addEventListener('click', () => void download('dictionary', 'dictionary.txt'));
if (tokenInput.value) void load();
`;
