import { z } from 'zod';
import { loadDataFile } from '../../bot/dataFile';
import { Intents } from '../../bot/nlu/NluResult';

export const WeChatMenuFile = z.object({
    about: z.string().optional(),
    /** CLICK button key → the intent it stands for and the words taken as the owner's message. */
    buttons: z.record(z.string().min(1).max(128), z.object({ intent: Intents, text: z.string().min(1).max(200) })),
});
export type WeChatMenuFile = z.infer<typeof WeChatMenuFile>;

/** The Official Account's menu as data (knowledge/wechat-menu.json): what each CLICK means. */
export class WeChatMenu {
    constructor(private readonly buttons: WeChatMenuFile['buttons']) {}

    static fromFile(file: string): WeChatMenu {
        return new WeChatMenu(loadDataFile(file, WeChatMenuFile).buttons);
    }

    /** The owner's words for a button, or null for a key the menu does not have. */
    wordsFor(eventKey: string): string | null {
        return Object.hasOwn(this.buttons, eventKey) ? (this.buttons[eventKey]?.text ?? null) : null;
    }

    entries(): [string, { intent: string; text: string }][] {
        return Object.entries(this.buttons);
    }
}
