'use strict';
// Display helpers: enum names, dates, ages and money as people read them.
// Pure functions of what the server returned (and the server's clock).

const DAY_MS = 24 * 3600 * 1000;

// "SR_STATUS_IN_PROGRESS" with prefix "SR_STATUS_" -> "In progress".
function humanEnum(value, prefix) {
  if (!value) return '';
  let s = String(value);
  if (prefix && s.startsWith(prefix)) s = s.slice(prefix.length);
  s = s.split('_').map((w) => (ACRONYMS.has(w) ? w : w.toLowerCase())).join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Words the procedures spell in capitals ("PP requests direct pay").
const ACRONYMS = new Set(['PP', 'RP', 'DEO', 'DER', 'RDO', 'LSDO', 'LO', 'UTP', 'DP', 'SR', 'MP', 'FOI', 'HMRC', 'CSA',
  'DD', 'MOPF', 'NRP', 'GB', 'NI', 'DOT', 'CSCS', 'CS2']);

const statusName = (v) => humanEnum(v, 'SR_STATUS_');
const roleName = (v) => humanEnum(v, 'ROLE_');

function tsMillis(ts) {
  if (!ts) return 0;
  return Number(ts.seconds || 0) * 1000 + Math.floor(Number(ts.nanos || 0) / 1e6);
}

// A Timestamp as "2026-12-07 03:38" (UTC, as the server keeps it).
function formatTime(ts) {
  const ms = tsMillis(ts);
  if (!ms) return '';
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function formatDate(d) {
  if (!d || !d.year) return '';
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

// Whole days from `ts` to the server's `nowMs`.
function ageDays(ts, nowMs) {
  const ms = tsMillis(ts);
  if (!ms) return 0;
  return Math.max(0, Math.floor((nowMs - ms) / DAY_MS));
}

// "2025-01-31" -> {year, month, day}, or null for an empty or bad value.
function parseDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text || '').trim());
  if (!m) return null;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

// The civil date (UTC) of the server's clock, for comparing with due dates.
function todayOf(nowMs) {
  const d = new Date(nowMs);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function dateBefore(a, b) {
  return a.year * 10000 + a.month * 100 + a.day < b.year * 10000 + b.month * 100 + b.day;
}

// Pence (a decimal string or number, may be negative) -> "£1,234.56".
function money(pence) {
  let p = BigInt(String(pence || '0'));
  const neg = p < 0n;
  if (neg) p = -p;
  const pounds = (p / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = String(p % 100n).padStart(2, '0');
  return `${neg ? '−' : ''}£${pounds}.${rest}`;
}

module.exports = { humanEnum, statusName, roleName, tsMillis, formatTime, formatDate, ageDays, parseDate,
  todayOf, dateBefore, money, DAY_MS };
