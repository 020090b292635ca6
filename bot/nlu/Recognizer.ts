import type { Understanding } from './NluResult';

/** Reads one normalised owner message. Pure and synchronous: no I/O on the turn's hot path. */
export interface Recognizer {
    recognize(text: string): Understanding;
}
