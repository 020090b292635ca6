import type { Activity } from 'botbuilder';
import { SqliteConversationLog } from '../../adapters/directline/SqliteConversationLog';
import { StorageUnavailableError } from '../../bot/storage/StorageUnavailableError';
import type { StoredUpload, WebConversation } from '../../bot/webchat/ConversationLog';

/** The embedded activity log, failing every call as a store that is down does while `down` is set. */
export class FailingConversationLog extends SqliteConversationLog {
    down = false;

    private check(operation: string): void {
        if (this.down) throw new StorageUnavailableError(operation, new Error('connection refused'));
    }

    override async create(c: WebConversation): Promise<void> {
        this.check('create conversation');
        return super.create(c);
    }
    override async get(id: string): Promise<WebConversation | null> {
        this.check('read conversation');
        return super.get(id);
    }
    override async markStarted(id: string) {
        this.check('start conversation');
        return super.markStarted(id);
    }
    override async append(c: WebConversation, a: Partial<Activity>, options?: { ownerSpoke?: boolean }): Promise<Partial<Activity>> {
        this.check('append activity');
        return super.append(c, a, options);
    }
    override async list(id: string, watermark?: number) {
        this.check('list activities');
        return super.list(id, watermark);
    }
    override async replay(id: string, watermark?: number) {
        this.check('replay activities');
        return super.replay(id, watermark);
    }
    override async saveUpload(c: WebConversation, u: StoredUpload): Promise<void> {
        this.check('save upload');
        return super.saveUpload(c, u);
    }
}
