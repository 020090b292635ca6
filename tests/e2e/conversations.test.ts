import { describeConversationCases } from '../helpers/conversationCases';

// Whole conversations from tests/conversations/cases.json, on the embedded store.
describeConversationCases('conversation cases, embedded store', () => ({}));
