import type { Persona } from './NluResult';

/** A birth year from the channel profile settles the question (the words are read by `Lexicon.persona`). */
export function personaFromBirthYear(birthYear: number, now: Date): Persona {
    const age = now.getFullYear() - birthYear;
    if (age >= 60) return 'elderly';
    if (age <= 35) return 'young';
    return 'default';
}
