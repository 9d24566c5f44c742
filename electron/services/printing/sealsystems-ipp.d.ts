// Minimal typing of the parts of @sealsystems/ipp (CommonJS, untyped) the IPP client uses.
declare module '@sealsystems/ipp' {
  export type IppValue = string | number | boolean | IppValue[] | { [key: string]: unknown };
  export type IppGroup = Record<string, IppValue>;
  export interface IppMessage {
    'operation-attributes-tag': IppGroup;
    'job-attributes-tag'?: IppGroup;
    data?: Buffer;
  }
  export interface IppResponse {
    version: string;
    statusCode: string;
    id: number;
    'operation-attributes-tag'?: IppGroup;
    'printer-attributes-tag'?: IppGroup | IppGroup[];
    'job-attributes-tag'?: IppGroup | IppGroup[];
  }
  export interface PrinterOptions {
    version?: string;
    uri?: string;
    charset?: string;
    language?: string;
    timeout?: number;
  }
  export interface IppPrinter {
    execute(operation: string, message: IppMessage, callback: (err: Error | null, response: IppResponse) => void): void;
  }
  interface IppModule {
    Printer(url: string, options?: PrinterOptions): IppPrinter;
  }
  const ipp: IppModule;
  export default ipp;
}
