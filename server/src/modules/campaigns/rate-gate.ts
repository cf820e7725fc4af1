/**
 * The global send rate shared by every worker (CAMPAIGN_SENDS_PER_SECOND): a counter per
 * second in Redis, taken a few permits at a time so a send is not one Redis call.
 */
import type { Redis } from '../../kernel/redis';

export class RateGate {
  private local = 0;
  private localSecond = -1;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly perSecond: number,
  ) {}

  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const second = Math.floor(now / 1000);
      if (this.local > 0 && this.localSecond === second) {
        this.local--;
        return;
      }
      const chunk = Math.max(1, Math.min(25, Math.floor(this.perSecond / 20)));
      const k = `${this.key}:${second}`;
      const after = await this.redis.incrby(k, chunk);
      if (after === chunk) await this.redis.pexpire(k, 3000);
      const granted = Math.min(chunk, this.perSecond - (after - chunk));
      if (granted > 0) {
        // Several sends may have asked at once: every permit granted is kept, none wasted.
        if (this.localSecond !== second) this.local = 0;
        this.local += granted - 1;
        this.localSecond = second;
        return;
      }
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 1));
    }
  }
}
