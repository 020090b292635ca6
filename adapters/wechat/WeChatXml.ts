import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** XML WeChat would never send: a DTD, an entity declaration, broken or not a `<xml>` message. Answered 400. */
export class WeChatXmlError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'WeChatXmlError';
    }
}

/** The fields of one message or event, every value a string (MsgId is a 64-bit number: never parsed as one). */
export type WeChatFields = Record<string, string>;

/**
 * A DTD is how entity bombs and external entities get in; WeChat never sends one. Refused before the parser sees the
 * text, whatever the parser's own settings (which also process no entities: belt and braces).
 */
const DECLARATIONS = /<!\s*(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;

/** The encoding an XML declaration names (`<?xml version="1.0" encoding="GBK"?>`). */
const DECLARED_ENCODING = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']*)["']/i;

/** Nesting WeChat uses is two levels (`<xml>` and e.g. `<ScanCodeInfo>`); anything much deeper is hostile. */
const MAX_DEPTH = 8;

/**
 * WeChat's XML in and out, with fast-xml-parser (a kept parser that can be told to resolve no entities at all).
 * Values stay strings; the `&lt;`-style escapes WeChat uses outside CDATA are the only ones decoded, by hand below,
 * since turning the parser's entity processing back on would also honour DTD entities.
 */
export class WeChatXml {
    private readonly parser = new XMLParser({
        processEntities: false,
        htmlEntities: false,
        ignoreAttributes: true,
        ignoreDeclaration: true,
        ignorePiTags: true,
        parseTagValue: false,
        parseAttributeValue: false,
        trimValues: false,
        maxNestedTags: MAX_DEPTH,
    });

    private readonly builder = new XMLBuilder({ cdataPropName: '#cdata', format: false, processEntities: false, suppressEmptyNode: false });

    /** The flat fields of `<xml>…</xml>` (nested elements, rare, are flattened as `Parent.Child`). */
    parse(text: string): WeChatFields {
        if (DECLARATIONS.test(text)) throw new WeChatXmlError('DTDs and entity declarations are refused');
        const encoding = DECLARED_ENCODING.exec(text)?.[1];
        if (encoding && !/^utf-?8$/i.test(encoding)) throw new WeChatXmlError(`encoding ${encoding.slice(0, 20)} is refused: WeChat sends UTF-8`);
        const valid = XMLValidator.validate(text);
        if (valid !== true) throw new WeChatXmlError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
        let parsed: unknown;
        try {
            parsed = this.parser.parse(text);
        } catch (error) {
            throw new WeChatXmlError(`not parseable: ${error instanceof Error ? error.message : String(error)}`);
        }
        const root = (parsed as Record<string, unknown> | null)?.xml;
        if (!root || typeof root !== 'object' || Array.isArray(root)) throw new WeChatXmlError('expected one <xml> element with fields');
        const fields: WeChatFields = {};
        flatten(root as Record<string, unknown>, '', fields, 0);
        return fields;
    }

    /** `<xml>` with each field in CDATA (the builder splits a `]]>` across sections), numbers (CreateTime) as they are. */
    build(fields: Record<string, string | number | Record<string, string>>): string {
        const node: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(fields)) {
            if (typeof value === 'number') node[name] = value;
            else if (typeof value === 'string') node[name] = { '#cdata': value };
            else node[name] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, { '#cdata': v }]));
        }
        return String(this.builder.build({ xml: node }));
    }
}

function flatten(node: Record<string, unknown>, prefix: string, into: WeChatFields, depth: number): void {
    if (depth > MAX_DEPTH) throw new WeChatXmlError('nested too deep');
    for (const [name, value] of Object.entries(node)) {
        const key = prefix ? `${prefix}.${name}` : name;
        if (typeof value === 'string') into[key] = unescapeXml(value);
        else if (Array.isArray(value)) {
            // A repeated field: WeChat sends none at the top level; keep the first.
            const first: unknown = value[0];
            if (typeof first === 'string') into[key] = unescapeXml(first);
            else if (first && typeof first === 'object') flatten(first as Record<string, unknown>, key, into, depth + 1);
        } else if (value && typeof value === 'object') flatten(value as Record<string, unknown>, key, into, depth + 1);
        else if (value !== undefined && value !== null) into[key] = String(value);
    }
}

/** The five predefined XML escapes and numeric references; nothing else (no custom entity can exist here). */
function unescapeXml(text: string): string {
    return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
        if (name === 'lt') return '<';
        if (name === 'gt') return '>';
        if (name === 'amp') return '&';
        if (name === 'quot') return '"';
        if (name === 'apos') return "'";
        const code = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
}
