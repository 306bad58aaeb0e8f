import { describe, expect, it } from 'vitest';
import { defaultImpact, shownStatus, worstDeclared, type Declared } from './shown-status.ts';

const incident = (status: Declared['status']): Declared => ({ status, source: 'incident', incidentId: 'i', expiresAt: null });
const manual = (status: Declared['status']): Declared => ({ status, source: 'manual', incidentId: null, expiresAt: '2026-03-20T12:00:00.000Z' });

describe('shownStatus', () => {
  it.each([
    { measured: 'operational', declared: null, want: { status: 'operational', by: 'measured' } },
    { measured: 'operational', declared: incident('degraded_performance'), want: { status: 'degraded_performance', by: 'declared' } },
    { measured: 'major_outage', declared: incident('degraded_performance'), want: { status: 'major_outage', by: 'measured' } },
    { measured: 'partial_outage', declared: manual('partial_outage'), want: { status: 'partial_outage', by: 'measured' } },
    { measured: 'operational', declared: manual('under_maintenance'), want: { status: 'under_maintenance', by: 'declared' } },
    { measured: 'under_maintenance', declared: manual('operational'), want: { status: 'under_maintenance', by: 'measured' } },
    { measured: 'degraded_performance', declared: incident('major_outage'), want: { status: 'major_outage', by: 'declared' } },
  ] as const)('measured $measured, declared $declared.status → $want.status by $want.by', ({ measured, declared, want }) => {
    expect(shownStatus(measured, declared)).toEqual(want);
  });
});

describe('worstDeclared', () => {
  it('takes the worst, and the one set by hand on a tie', () => {
    expect(worstDeclared([])).toBeNull();
    expect(worstDeclared([incident('degraded_performance'), manual('major_outage'), incident('partial_outage')])).toEqual(manual('major_outage'));
    expect(worstDeclared([incident('partial_outage'), manual('partial_outage')])?.source).toBe('manual');
  });
});

describe('defaultImpact', () => {
  it('is an outage for A and a degradation otherwise', () => {
    expect(['A', 'B', 'C', 'D'].map((p) => defaultImpact(p as 'A'))).toEqual(['major_outage', 'degraded_performance', 'degraded_performance', 'degraded_performance']);
  });
});
