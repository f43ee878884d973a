/** A `notification` frame as the gateway sends it. */
export const notification = (id: string, seq: number) => ({
  id,
  type: 'notification',
  seq,
  payload: { id, title: `t${seq}`, message: 'm', type: 'info', priority: 'normal', read: false },
});
