import QRCode from "qrcode";

/** The otpauth:// URI as a QR code: SVG for the web page, block characters for a terminal. */
export function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** With colours: dark modules on an explicit white background (scans on any terminal theme); without: plain half blocks. */
export function qrTerminal(uri: string, colour: boolean): Promise<string> {
  return colour ? QRCode.toString(uri, { type: "terminal", small: true, errorCorrectionLevel: "M" }) : QRCode.toString(uri, { type: "utf8", errorCorrectionLevel: "M", margin: 2 });
}
