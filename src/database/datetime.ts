// MySQL rounds (MariaDB truncates) fractional seconds into DATETIME(0): store whole seconds ourselves,
// so the value we answer or compare with is the value stored.
export const floorToSecond = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);
