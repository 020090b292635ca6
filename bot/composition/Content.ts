import { join } from 'node:path';
import { EscalationRules } from '../escalation/EscalationRules';
import { loadHandoffSettings, type HandoffSettings } from '../handoff/HandoffSettings';
import { KnowledgeBase } from '../knowledge/KnowledgeBase';
import { KnowledgeRetriever } from '../knowledge/KnowledgeRetriever';
import { KnowledgeService } from '../knowledge/KnowledgeService';
import { SafetyAdvice } from '../knowledge/SafetyAdvice';
import { MessageShapeReader } from '../nlu/MessageShape';
import { NluRecognizer } from '../nlu/NluRecognizer';
import { ReadingEvidence } from '../nlu/ReadingEvidence';
import { MODEL_FILE } from '../nlu/trainModel';
import { Tokenizer } from '../nlu/Tokenizer';
import { loadDataFile } from '../dataFile';
import { KnowledgeGapsFile, type KnowledgeGapSettings } from '../outcomes/KnowledgeGapReport';
import { PROJECT_ROOT } from '../paths';
import { Phrasebook } from '../Phrasebook';
import { loadDeskLabels, type DeskLabelsFile } from '../desk/DeskLabels';
import { loadDeskReplies, type DeskRepliesFile } from '../desk/DeskReplies';
import { loadFlowScripts, type FlowScript } from '../scripts/FlowScript';
import { TicketComposer } from '../tickets/TicketComposer';
import { loadTicketWording } from '../tickets/TicketWording';
import { WorkingCalendar } from '../tickets/WorkingCalendar';

/**
 * Everything Linli knows and says, loaded in one place from `knowledge/` and `scripts/`: the knowledge base, the
 * phrasebook, the flow scripts, the lexicons and the trained model, the escalation rules, safety advice, the working
 * calendar and the handoff settings. A broken file stops start-up here, naming the file and the field.
 */
export class Content {
    readonly calendar: WorkingCalendar;
    readonly base: KnowledgeBase;
    readonly phrasebook: Phrasebook;
    readonly recognizer: NluRecognizer;
    readonly knowledge: KnowledgeService;
    readonly safety: SafetyAdvice;
    readonly scripts: FlowScript[];
    readonly handoffSettings: HandoffSettings;
    readonly escalation: EscalationRules;
    /** Messages without words (👍, ？？？, English), read apart from the classifier. */
    readonly shapes: MessageShapeReader;
    /** The signals understanding weighs beside the classifier (a strong knowledge match, property words). */
    readonly evidence: ReadingEvidence;
    /** How tickets are written: descriptions, places, requests (knowledge/tickets.json). */
    readonly composer: TicketComposer;
    /** jieba with the estate's words (the knowledge gaps' top terms use it too). */
    readonly tokenizer: Tokenizer;
    /** How the monthly report groups the messages Linli could not answer (knowledge/knowledge-gaps.json). */
    readonly gapSettings: KnowledgeGapSettings;
    /** The agents' reply library and the console's words for the server's codes (scripts/desk/). */
    readonly deskReplies: DeskRepliesFile;
    readonly deskLabels: DeskLabelsFile;

    constructor(root: string = PROJECT_ROOT) {
        const knowledgeDir = join(root, 'knowledge');
        this.calendar = WorkingCalendar.fromFile(join(knowledgeDir, 'calendar.json'));
        this.base = KnowledgeBase.fromDirectory(knowledgeDir);
        this.phrasebook = Phrasebook.fromFile(join(root, 'scripts', 'phrases.json'), this.base.estate);
        const tokenizer = new Tokenizer(join(knowledgeDir, 'nlu', 'domain-dict.txt'));
        this.tokenizer = tokenizer;
        this.gapSettings = loadDataFile(join(knowledgeDir, 'knowledge-gaps.json'), KnowledgeGapsFile);
        const retriever = KnowledgeRetriever.forKnowledge(knowledgeDir, this.base.entries, tokenizer);
        // The retriever's own match is one of the signals understanding weighs (a strong match is evidence for faq).
        this.evidence = ReadingEvidence.fromFile(join(knowledgeDir, 'nlu', 'evidence.json'), (text) => retriever.search(text)[0]?.metadata.score ?? 0);
        this.recognizer = NluRecognizer.fromKnowledge(knowledgeDir, tokenizer, MODEL_FILE, this.evidence);
        this.knowledge = new KnowledgeService(this.base, retriever, this.phrasebook);
        this.safety = SafetyAdvice.fromFile(join(knowledgeDir, 'safety.json'));
        this.scripts = [...loadFlowScripts(join(root, 'scripts')).values()];
        this.handoffSettings = loadHandoffSettings(join(knowledgeDir, 'handoff.json'));
        this.escalation = EscalationRules.fromFile(join(knowledgeDir, 'escalation-rules.json'));
        this.shapes = MessageShapeReader.fromFile(join(knowledgeDir, 'message-shapes.json'));
        this.composer = new TicketComposer(loadTicketWording(join(knowledgeDir, 'tickets.json')));
        this.deskReplies = loadDeskReplies(join(root, 'scripts', 'desk', 'replies.json'));
        this.deskLabels = loadDeskLabels(join(root, 'scripts', 'desk', 'labels.json'));
    }
}
