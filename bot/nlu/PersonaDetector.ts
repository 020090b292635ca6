import type { Persona } from './NluResult';

const ELDERLY = /老伴|孙子|孙女|外孙|七十|八十|九十|6\d岁|7\d岁|8\d岁|岁数大|年纪大|上了年纪|老年人|老头|老太|老两口|不会用手机|不太会用手机|不太会打字|不会打字|字打得慢|眼睛不好|眼神不好|看不清|耳朵背|腿脚不好|腿脚不便|行动不便|拄拐|轮椅|闺女|儿女都不在|孩子都不在身边|子女不在|小伙子|姑娘|退休/;
const YOUNG = /\p{Extended_Pictographic}|哈哈|嘿嘿|嘻嘻|呜呜|hhh|yyds|绝绝子|打工人|社畜|家人们|在线等|急急急|好滴|谢啦|蟹蟹|离谱|破防|麻了|发个链接|给个链接|链接|小程序|二维码|\bapp\b|～|~|233|蚌埠住|栓q|无语子|宝子/iu;

/** Persona from the words of one message; `default` when nothing points either way. */
export function detectPersona(text: string): Persona {
    if (ELDERLY.test(text)) return 'elderly';
    if (YOUNG.test(text)) return 'young';
    return 'default';
}

/** A birth year from the channel profile settles the question. */
export function personaFromBirthYear(birthYear: number, now: Date): Persona {
    const age = now.getFullYear() - birthYear;
    if (age >= 60) return 'elderly';
    if (age <= 35) return 'young';
    return 'default';
}
