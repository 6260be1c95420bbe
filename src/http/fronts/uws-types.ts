// The slice of the uWebSockets.js API sluice uses. Declared here because the two builds we can load
// ship different (and differently placed) typings; both implement at least this much.

export type RecognizedString = string | ArrayBuffer | Uint8Array;

export interface UwsHttpRequest {
  getHeader(lowerCaseKey: string): string;
  getUrl(): string;
  getMethod(): string;
  getCaseSensitiveMethod(): string;
  getQuery(): string;
  forEach(cb: (key: string, value: string) => void): void;
}

export interface UwsHttpResponse {
  pause(): void;
  resume(): void;
  writeStatus(status: RecognizedString): UwsHttpResponse;
  writeHeader(key: RecognizedString, value: RecognizedString): UwsHttpResponse;
  write(chunk: RecognizedString): boolean;
  end(body?: RecognizedString, closeConnection?: boolean): UwsHttpResponse;
  endWithoutBody(reportedContentLength?: number, closeConnection?: boolean): UwsHttpResponse;
  tryEnd(fullBodyOrChunk: RecognizedString, totalSize: number): [boolean, boolean];
  close(): UwsHttpResponse;
  getWriteOffset(): number;
  onWritable(handler: (offset: number) => boolean): UwsHttpResponse;
  onAborted(handler: () => void): UwsHttpResponse;
  onData(handler: (chunk: ArrayBuffer, isLast: boolean) => void): UwsHttpResponse;
  getRemoteAddressAsText(): ArrayBuffer;
  cork(cb: () => void): UwsHttpResponse;
}

export type UwsListenSocket = object;

export interface UwsApp {
  listen(host: string, port: number, cb: (listenSocket: UwsListenSocket | false) => void): UwsApp;
  any(pattern: string, handler: (res: UwsHttpResponse, req: UwsHttpRequest) => void): UwsApp;
  /** socket opened (count 1) or closed (-1); uWS 20.57 has it, 20.30 does not */
  filter?: (cb: (res: UwsHttpResponse, count: number) => void) => UwsApp;
  close?(): void;
}

export interface UwsAppOptions {
  key_file_name?: string;
  cert_file_name?: string;
  passphrase?: string;
}

export interface UwsModule {
  App(options?: UwsAppOptions): UwsApp;
  SSLApp(options: UwsAppOptions): UwsApp;
  us_listen_socket_close(listenSocket: UwsListenSocket): void;
  us_socket_local_port(listenSocket: UwsListenSocket): number;
}
