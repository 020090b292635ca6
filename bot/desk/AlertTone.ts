/**
 * The console's urgent-case alert: two short beeps as a WAV, made here so the page plays a local file (no network, no
 * binary in the repository). 8-bit mono at 8 kHz keeps it under 8 KB.
 */
export function alertToneWav(): Buffer {
    const rate = 8000;
    const beeps: [start: number, seconds: number, hz: number][] = [
        [0, 0.18, 880],
        [0.26, 0.28, 1175],
    ];
    const samples = Math.round(rate * 0.6);
    const data = Buffer.alloc(samples, 128);
    for (const [start, seconds, hz] of beeps) {
        const from = Math.round(start * rate);
        const count = Math.round(seconds * rate);
        for (let i = 0; i < count; i++) {
            // A short fade in and out so the beep does not click.
            const envelope = Math.min(1, i / 80, (count - i) / 80);
            data[from + i] = Math.round(128 + 90 * envelope * Math.sin((2 * Math.PI * hz * i) / rate));
        }
    }
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.writeUInt32LE(36 + data.length, 4);
    header.write('WAVE', 8);
    header.write('fmt ', 12);
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20); // PCM
    header.writeUInt16LE(1, 22); // mono
    header.writeUInt32LE(rate, 24);
    header.writeUInt32LE(rate, 28); // bytes per second
    header.writeUInt16LE(1, 32); // block align
    header.writeUInt16LE(8, 34); // bits per sample
    header.write('data', 36);
    header.writeUInt32LE(data.length, 40);
    return Buffer.concat([header, data]);
}
