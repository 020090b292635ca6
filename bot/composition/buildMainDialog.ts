import { EmergencyDialog } from '../../dialogs/EmergencyDialog';
import { FaqDialog } from '../../dialogs/FaqDialog';
import { FollowUpDialog } from '../../dialogs/FollowUpDialog';
import { HandoffDialog } from '../../dialogs/HandoffDialog';
import { HandoffStarter } from '../../dialogs/HandoffStarter';
import { MainDialog } from '../../dialogs/MainDialog';
import { ReplyDialog } from '../../dialogs/ReplyDialog';
import { ScriptDialog } from '../../dialogs/ScriptDialog';
import { TicketStatusDialog } from '../../dialogs/TicketStatusDialog';
import { LateTicketDetails } from '../../dialogs/LateTicketDetails';
import { ClarifyDialog } from '../../dialogs/ClarifyDialog';
import { ThreadReplies } from '../../dialogs/ThreadReplies';
import type { HandoffService } from '../handoff/HandoffService';
import type { Logger } from '../logger';
import type { EntityExtractor } from '../nlu/EntityExtractor';
import type { Phrasebook } from '../Phrasebook';
import type { ConversationReferences } from '../proactive/ConversationReferences';
import type { FlowScript } from '../scripts/FlowScript';
import type { TicketService } from '../tickets/TicketService';
import type { Content } from './Content';

export interface MainDialogDeps {
    content: Content;
    tickets: TicketService;
    handoffs: HandoffService;
    references: ConversationReferences;
    entities: EntityExtractor;
    clock: () => Date;
    logger: Logger;
}

/** Every dialog Linli runs, built in one place from the content and the services, under the main dialog. */
export function buildMainDialog({ content, tickets, handoffs, references, entities, clock, logger }: MainDialogDeps): MainDialog {
    const { phrasebook, knowledge, safety, calendar, composer } = content;
    const reply = (id: string, phrase: Parameters<Phrasebook['say']>[0]) => new ReplyDialog(id, phrasebook, phrase);
    const flowDeps = { tickets, composer, safety, calendar, clock, entities, values: content.base.estate, references, phrasebook, logger };
    const flows = new Map(content.scripts.map((script) => [script.trigger, new ScriptDialog(script, flowDeps)]));
    const flow = (trigger: FlowScript['trigger']): ScriptDialog => {
        const dialog = flows.get(trigger);
        if (!dialog) throw new Error(`scripts/: no flow script has trigger "${trigger}"`);
        return dialog;
    };
    const faq = new FaqDialog('faq', phrasebook, knowledge);
    const starter = new HandoffStarter(handoffs, phrasebook, logger);
    const handoff = new HandoffDialog(phrasebook, starter, safety);
    const emergency = new EmergencyDialog(phrasebook, safety, tickets, composer, references, starter, logger, clock);
    return new MainDialog(
        {
            greeting: reply('greeting', 'greeting'),
            thanks_bye: reply('thanks_bye', 'thanks_bye'),
            human_agent: handoff,
            faq,
            repair: flow('repair'),
            complaint: flow('complaint'),
            emergency,
            fee_arrears: {
                hardship: flow('fee_arrears/hardship'),
                service_dissatisfaction: flow('fee_arrears/service_dissatisfaction'),
                misconception: new FaqDialog('arrears.misconception', phrasebook, knowledge, 'arrears_misconception_intro', 'arrears_shared'),
            },
            ticket_status: new TicketStatusDialog(phrasebook, tickets, calendar, clock),
            out_of_scope: reply('out_of_scope', 'out_of_scope'),
        },
        handoff,
        emergency,
        { phrasebook, faq, lateDetails: new LateTicketDetails(tickets, composer, phrasebook, clock, logger), clarify: new ClarifyDialog(phrasebook, content.evidence) },
        new FollowUpDialog(phrasebook, tickets),
        new ThreadReplies(phrasebook, faq, knowledge, handoffs),
    );
}
