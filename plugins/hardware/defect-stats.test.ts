import { describe, expect, it } from 'vitest';
import { defectFigures, serviceIntervals, type StateLine } from './defect-stats.js';

const line = (deviceId: number, at: number, state: string): StateLine => ({ deviceId, at, state });

/** The one-pass counting: service intervals from unsorted lines of many devices, and months counted once per device. */
describe('defect statistics counting', () => {
  it('builds each device\'s intervals from its lines in time order, whatever order they come in', () => {
    expect(serviceIntervals([
      line(2, 50, 'retired'), line(1, 30, 'in_repair'), line(2, 10, 'in_service'), line(1, 10, 'in_service'),
      line(1, 20, 'in_service'), // a repeated "in service" line continues the running interval
      line(1, 40, 'in_service'), line(1, 60, 'in_stock'), line(1, 60, 'in_service'), // back at the instant it left: goes on
      line(3, 5, 'in_stock'), line(1, 90, 'retired'), line(4, 7, 'in_service'),
    ])).toEqual(new Map([
      [1, [[10, 30], [40, 90]]],
      [2, [[10, 50]]],
      [4, [[7, Number.POSITIVE_INFINITY]]],
    ]));
  });

  it('counts a device once per month it was in service, across two intervals of one month, and its days in the period', () => {
    const months = [{ key: 'a', start: 0, end: 100 }, { key: 'b', start: 100, end: 200 }, { key: 'c', start: 200, end: 300 }];
    const figures = defectFigures({
      months,
      states: [line(1, 10, 'in_service'), line(1, 20, 'in_repair'), line(1, 50, 'in_service'), line(1, 150, 'retired'), line(2, 250, 'in_service'), line(3, 100, 'in_service')],
      defects: [{ deviceId: 1, at: 120 }, { deviceId: 2, at: 299 }, { deviceId: 2, at: 300 }, { deviceId: 3, at: 5 }],
      groupOf: (id) => (id === 3 ? undefined : 'g'),
    });
    expect(figures.months.map((month) => [month.installed, month.defects])).toEqual([[1, 0], [1, 1], [1, 1]]);
    expect(figures.total).toMatchObject({ defects: 2, installed: 1, serviceDays: (10 + 100 + 50) / 86_400_000 });
    expect(figures.top).toEqual([{ deviceId: 1, defects: 1 }, { deviceId: 2, defects: 1 }]);
  });
});
