'use strict';
const assert = require('node:assert/strict');
const { test } = require('node:test');
const f = require('../../src/format');
const { barChart, stepChart } = require('../../src/svg');

test('money is pounds and pence from int64 pence strings, exactly', () => {
  assert.equal(f.money('0'), '£0.00');
  assert.equal(f.money('5'), '£0.05');
  assert.equal(f.money('123456789'), '£1,234,567.89');
  assert.equal(f.money('-2500'), '−£25.00');
  assert.equal(f.money('9007199254740993'), '£90,071,992,547,409.93', 'beyond a double, no rounding');
});

test('ages are whole days on the server clock; dates parse strictly', () => {
  const day = 24 * 3600 * 1000;
  const created = { seconds: String(1_800_000_000), nanos: 0 };
  assert.equal(f.ageDays(created, 1_800_000_000_000 + 3 * day - 1), 2);
  assert.equal(f.ageDays(created, 1_800_000_000_000 - day), 0);
  assert.deepEqual(f.parseDate('2027-01-31'), { year: 2027, month: 1, day: 31 });
  assert.equal(f.parseDate('31/01/2027'), null);
  assert.equal(f.dateBefore({ year: 2026, month: 12, day: 31 }, { year: 2027, month: 1, day: 1 }), true);
  assert.equal(f.statusName('SR_STATUS_PENDING_APPROVAL'), 'Pending approval');
});

test('charts escape their labels and carry a title and description', () => {
  const svg = barChart({ id: 'c', title: 'T<', desc: 'D&', bars: [{ label: '<b>x</b>', value: 3 }] }).toString();
  assert.match(svg, /role="img" aria-labelledby="c-t c-d"/);
  assert.match(svg, /<title id="c-t">T&lt;<\/title><desc id="c-d">D&amp;<\/desc>/);
  assert.ok(!svg.includes('<b>'));
  const line = stepChart({ id: 's', title: 't', desc: 'd', points: [{ x: 0, y: 1 }, { x: 86400000, y: -2 }] }).toString();
  assert.match(line, /<path d="M[\d.]+,[\d.]+ H[\d.]+ V[\d.]+"/);
  assert.match(stepChart({ id: 'e', title: 't', desc: 'd', points: [] }).toString(), /No entries/);
});
