import {
  activeAfterNewCredentials,
  deactivatedByUser,
  USER_DEACTIVATED_REASON,
} from './organizer-activation';

describe('activeAfterNewCredentials (one rule for PATCH and OAuth reconnect)', () => {
  const active = { active: true, deactivatedReason: null };
  const byUser = { active: false, deactivatedReason: USER_DEACTIVATED_REASON };
  const byTest = { active: false, deactivatedReason: 'GoTo rejected the email or password' };

  it('an active organizer stays active', () => {
    expect(activeAfterNewCredentials(active)).toBe(true);
  });
  it("new credentials never undo a user's deactivation", () => {
    expect(activeAfterNewCredentials(byUser)).toBe(false);
    expect(deactivatedByUser(byUser)).toBe(true);
  });
  it('an organizer Test Connection deactivated is reactivated', () => {
    expect(activeAfterNewCredentials(byTest)).toBe(true);
    expect(deactivatedByUser(byTest)).toBe(false);
  });
  it('an explicit active flag wins', () => {
    expect(activeAfterNewCredentials(byUser, true)).toBe(true);
    expect(activeAfterNewCredentials(byTest, false)).toBe(false);
    expect(activeAfterNewCredentials(active, false)).toBe(false);
  });
});
