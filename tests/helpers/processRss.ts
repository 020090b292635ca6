import { readFileSync } from 'node:fs';

/** A process's resident set size in bytes (VmRSS in /proc/<pid>/status), or null once it is gone (or off Linux). */
export function rssBytes(pid: number): number | null {
    try {
        const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return match ? Number(match[1]) * 1024 : null;
    } catch {
        return null;
    }
}
