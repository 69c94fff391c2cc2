import { credentials, Metadata, status } from '@grpc/grpc-js';
import { type NoticeView, TrackerServiceClient } from '@hub/contracts';
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

  close(): void {
    this.client.close();
  }
}
