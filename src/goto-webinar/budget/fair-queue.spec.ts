import { FairQueue } from './fair-queue';
import { GotoCallContext } from './goto-call-context';

type Item = GotoCallContext & { name: string };
const item = (
  name: string,
  priority: number,
  accountId: number | null,
  organizerId: number | null,
) => ({ name, priority, accountId, organizerId }) as Item;

function drain(q: FairQueue<Item>): string[] {
  const out: string[] = [];
  for (let x = q.shift(); x; x = q.shift()) out.push(x.name);
  return out;
}

describe('FairQueue', () => {
  it('serves mailing, then on-demand, then initial, then periodic, whatever the arrival order', () => {
    const q = new FairQueue<Item>();
    q.push(item('periodic', 0, 1, 1));
    q.push(item('initial', 40, 1, 1));
    q.push(item('on-demand', 50, 2, 2));
    q.push(item('mailing', 100, 3, 3));
    expect(q.highestPriority()).toBe(100);
    expect(drain(q)).toEqual(['mailing', 'on-demand', 'initial', 'periodic']);
    expect(q.size).toBe(0);
    expect(q.highestPriority()).toBeUndefined();
  });

  it('within a priority, accounts take turns (a big account does not hold a small one back)', () => {
    const q = new FairQueue<Item>();
    for (let i = 1; i <= 5; i++) q.push(item(`A${i}`, 0, 1, 10));
    q.push(item('B1', 0, 2, 20));
    q.push(item('B2', 0, 2, 20));
    expect(drain(q)).toEqual(['A1', 'B1', 'A2', 'B2', 'A3', 'A4', 'A5']);
  });

  it('within an account, organizers take turns; within an organizer, first come first served', () => {
    const q = new FairQueue<Item>();
    q.push(item('o1-a', 0, 1, 1));
    q.push(item('o1-b', 0, 1, 1));
    q.push(item('o1-c', 0, 1, 1));
    q.push(item('o2-a', 0, 1, 2));
    q.push(item('o3-a', 0, 1, 3));
    expect(drain(q)).toEqual(['o1-a', 'o2-a', 'o3-a', 'o1-b', 'o1-c']);
  });

  it('an account that arrives late joins the back of the line, after the accounts already waiting', () => {
    const q = new FairQueue<Item>();
    q.push(item('A1', 0, 1, 1));
    q.push(item('A2', 0, 1, 1));
    q.push(item('B1', 0, 2, 2));
    expect(q.shift()!.name).toBe('A1');
    q.push(item('C1', 0, 3, 3));
    expect(drain(q)).toEqual(['B1', 'A2', 'C1']);
  });

  it('remove takes an aborted caller out without disturbing the others', () => {
    const q = new FairQueue<Item>();
    const a = item('A', 0, 1, 1);
    const b = item('B', 0, 2, 2);
    q.push(a);
    q.push(b);
    expect(q.remove(a)).toBe(true);
    expect(q.remove(a)).toBe(false);
    expect(q.size).toBe(1);
    expect(drain(q)).toEqual(['B']);
  });

  it('calls without an account or organizer form their own line', () => {
    const q = new FairQueue<Item>();
    q.push(item('none-1', 50, null, null));
    q.push(item('none-2', 50, null, null));
    q.push(item('acc-1', 50, 7, null));
    expect(drain(q)).toEqual(['none-1', 'acc-1', 'none-2']);
  });
});
