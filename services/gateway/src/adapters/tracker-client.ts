import { credentials, Metadata, status } from '@grpc/grpc-js';
import {
  type NoticeView,
  TrackerServiceClient,
  type TrackerServiceListNoticesRequest,
  type TrackerServiceListNoticesResponse,
} from '@hub/contracts';
import { HubError } from '@hub/domain';
import { GRPC_CLIENT_OPTIONS } from '@hub/service-kit';

/** The tracker's read API over gRPC: a notice's status, requests and timeline. */
export class TrackerClient {
  private readonly client: TrackerServiceClient;

  constructor(url: string) {
    this.client = new TrackerServiceClient(url, credentials.createInsecure(), GRPC_CLIENT_OPTIONS);
  }

  /** The tracker's view, or undefined when it has not seen the notice yet. */
  getNotice(id: string, deadlineMs = 3000): Promise<NoticeView | undefined> {
    return new Promise((resolve, reject) => {
      this.client.getNotice({ id }, new Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => {
        if (err) return err.code === status.NOT_FOUND ? resolve(undefined) : reject(err);
        resolve(res?.notice);
      });
    });
  }

  /** A page of one court's notices; the tracker being unreachable is UNAVAILABLE, never a 500. */
  listNotices(
    request: TrackerServiceListNoticesRequest,
    deadlineMs = 3000,
  ): Promise<TrackerServiceListNoticesResponse> {
    return new Promise((resolve, reject) => {
      this.client.listNotices(request, new Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => {
        if (err || !res)
          return reject(new HubError('UNAVAILABLE', [{ dependency: 'tracker' }], undefined, { cause: err }));
        resolve(res);
      });
    });
  }

  close(): void {
    this.client.close();
  }
}
