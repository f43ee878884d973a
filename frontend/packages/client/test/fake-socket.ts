/** A scripted stand-in for the browser's WebSocket: the test plays the gateway. */
export class FakeSocket {
  static all: FakeSocket[] = [];
  static latest(): FakeSocket {
    return FakeSocket.all[FakeSocket.all.length - 1] as FakeSocket;
  }
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  /** the frames as written on the wire */
  sentText: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sentText.push(data);
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  /** a frame from the gateway: an object, or text as it came */
  push(frame: object | string) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop() {
    this.close();
  }
}
