import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback STS endpoint answering `AssumeRole`, for testing role assumption (`assumeRoleARN`,
 * `assumeRoleExternalId`) without AWS. STS in SDK v3 (nested-clients 3.998 under
 * @aws-sdk/credential-providers 3.1143) still speaks awsQuery: a form-encoded POST
 * (`Action=AssumeRole&Version=2011-06-15&RoleArn=…`, content-type application/x-www-form-urlencoded)
 * answered with XML. A `plan` decides what each call gets; every call is recorded.
 */
export interface StsCall {
  /** 0 for the first request the stub sees. */
  index: number;
  action: string;
  roleArn: string | undefined;
  roleSessionName: string | undefined;
  externalId: string | undefined;
  durationSeconds: number | undefined;
  /** From the SigV4 `Authorization` header's `Credential=AKID/date/region/service/aws4_request`. */
  callerAccessKeyId: string | undefined;
  signingRegion: string | undefined;
  signingService: string | undefined;
  /** `x-amz-security-token`, present when the caller itself holds temporary credentials. */
  callerSessionToken: string | undefined;
  /** Every form parameter as sent, for what the named fields do not cover (Policy, Tags…). */
  params: Record<string, string>;
}

/** Credentials to issue; what is left out is generated from the call index (expiry: DurationSeconds from now). */
export interface StsIssued {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface StsError {
  /** e.g. AccessDenied (403), ExpiredToken (400), RegionDisabledException (403), InternalFailure (500). */
  code: string;
  status?: number;
  message?: string;
  /** Sender for client errors, Receiver for server errors; derived from the status if left out. */
  type?: 'Sender' | 'Receiver';
}

export type StsAnswer = StsIssued | { error: StsError };

/** A function of the call, or a list by call index where calls past its end get its last entry. */
export type StsPlan = ((call: StsCall) => StsAnswer) | StsAnswer[];

export interface StsStub {
  endpoint: string;
  calls: StsCall[];
  close(): Promise<void>;
}

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export async function startStsStub(plan: StsPlan = () => ({})): Promise<StsStub> {
  const calls: StsCall[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const signer = parseSigV4Credential(req.headers.authorization);
    const duration = params.DurationSeconds === undefined ? undefined : Number(params.DurationSeconds);
    const call: StsCall = {
      index: calls.length,
      action: params.Action ?? '',
      roleArn: params.RoleArn,
      roleSessionName: params.RoleSessionName,
      externalId: params.ExternalId,
      durationSeconds: duration,
      callerAccessKeyId: signer?.accessKeyId,
      signingRegion: signer?.region,
      signingService: signer?.service,
      callerSessionToken: header(req, 'x-amz-security-token'),
      params,
    };
    calls.push(call);
    const requestId = randomUUID();
    // Anything but AssumeRole means the code under test called something we did not expect: say so loudly.
    if (call.action !== 'AssumeRole') {
      sendError(res, requestId, { code: 'InvalidAction', status: 400, message: `stsStub implements AssumeRole only, got '${call.action}'` });
      return;
    }
    const answer = typeof plan === 'function' ? plan(call) : plan[Math.min(call.index, plan.length - 1)] ?? {};
    if ('error' in answer) {
      sendError(res, requestId, answer.error);
      return;
    }
    const issued: Required<StsIssued> = {
      accessKeyId: answer.accessKeyId ?? `ASIASTUB${call.index}`,
      secretAccessKey: answer.secretAccessKey ?? `stub-secret-${call.index}`,
      sessionToken: answer.sessionToken ?? `stub-token-${call.index}`,
      expiration: answer.expiration ?? new Date(Date.now() + (duration ?? 3600) * 1000),
    };
    const roleName = (call.roleArn ?? '').split('/').pop() ?? '';
    const account = /^arn:aws[\w-]*:iam::(\d+):/.exec(call.roleArn ?? '')?.[1] ?? '123456789012';
    const session = call.roleSessionName ?? '';
    // Full ISO precision (real STS sends whole seconds): the SDK parses either, and tests can compare
    // the Date they planned with the one the provider returns.
    send(res, 200, requestId,
      `<AssumeRoleResponse xmlns="${XMLNS}"><AssumeRoleResult>` +
        `<Credentials><AccessKeyId>${esc(issued.accessKeyId)}</AccessKeyId><SecretAccessKey>${esc(issued.secretAccessKey)}</SecretAccessKey>` +
        `<SessionToken>${esc(issued.sessionToken)}</SessionToken><Expiration>${issued.expiration.toISOString()}</Expiration></Credentials>` +
        `<AssumedRoleUser><Arn>${esc(`arn:aws:sts::${account}:assumed-role/${roleName}/${session}`)}</Arn>` +
        `<AssumedRoleId>${esc(`AROASTUB${call.index}:${session}`)}</AssumedRoleId></AssumedRoleUser>` +
        `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sts/aws4_request, SignedHeaders=…, Signature=…` */
export function parseSigV4Credential(authorization: string | undefined): { accessKeyId: string; region: string; service: string } | undefined {
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return match ? { accessKeyId: match[1]!, region: match[2]!, service: match[3]! } : undefined;
}

/** The awsQuery error shape the SDK reads `Error.Code` from; the code becomes the thrown error's `name`. */
function sendError(res: ServerResponse, requestId: string, error: StsError): void {
  const status = error.status ?? (error.code === 'AccessDenied' ? 403 : 400);
  const type = error.type ?? (status >= 500 ? 'Receiver' : 'Sender');
  send(res, status, requestId,
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${esc(error.code)}</Code>` +
      `<Message>${esc(error.message ?? `${error.code} (stsStub)`)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
}

function send(res: ServerResponse, status: number, requestId: string, xml: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': requestId });
  res.end(xml);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
