/**
 * WeChat's XML dialect: one `<xml>` root, text in CDATA, no attributes. Parsed into a plain
 * record of strings (numbers stay strings: a MsgId is 64-bit and would lose digits).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type XmlValue = string | XmlRecord | XmlValue[];
export interface XmlRecord {
  [field: string]: XmlValue;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

/** Returns the fields under `<xml>`, or undefined when the text is not a well-formed WeChat document. */
export function parseWechatXml(text: string): XmlRecord | undefined {
  // WeChat never sends a DOCTYPE; refusing one closes the door on entity tricks.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return undefined;
  if (XMLValidator.validate(text) !== true) return undefined;
  const doc = parser.parse(text) as Record<string, unknown>;
  const root = doc.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) return undefined;
  return root as XmlRecord;
}

const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/**
 * Builds `<xml>…</xml>`: strings go in CDATA, numbers bare (CreateTime, TimeStamp),
 * arrays repeat their element name (news `<item>`s), objects nest.
 */
export function buildWechatXml(fields: Record<string, unknown>): string {
  return `<xml>${buildFields(fields)}</xml>`;
}

function buildFields(fields: Record<string, unknown>): string {
  let out = '';
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) out += buildFields({ [name]: item });
    } else if (typeof value === 'number') {
      out += `<${name}>${value}</${name}>`;
    } else if (typeof value === 'object' && value !== null) {
      out += `<${name}>${buildFields(value as Record<string, unknown>)}</${name}>`;
    } else {
      out += `<${name}>${cdata(String(value))}</${name}>`;
    }
  }
  return out;
}
