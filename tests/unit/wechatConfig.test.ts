import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bot/config';

const channel = { WECHAT_TOKEN: 'linliToken1', WECHAT_APP_ID: 'wx1234567890abcdef', WECHAT_APP_SECRET: 'secret' };

describe('WeChat configuration', () => {
    it('defaults: WeChat off, its API, a 4 s reply budget', () => {
        const config = loadConfig({});
        expect(config.WECHAT_TOKEN).toBeUndefined();
        expect(config.WECHAT_API_BASE_URL).toBe('https://api.weixin.qq.com');
        expect(config.WECHAT_REPLY_BUDGET_MS).toBe(4000);
        expect(loadConfig({ ...channel, WECHAT_ENCODING_AES_KEY: 'a'.repeat(43) }).WECHAT_ENCODING_AES_KEY).toHaveLength(43);
    });

    it.each([
        [{ ...channel, WECHAT_ENCODING_AES_KEY: 'a'.repeat(42) }, 'WECHAT_ENCODING_AES_KEY'],
        [{ ...channel, WECHAT_ENCODING_AES_KEY: `${'a'.repeat(42)}=` }, 'WECHAT_ENCODING_AES_KEY'],
        [{ ...channel, WECHAT_APP_ID: 'gh_123' }, 'WECHAT_APP_ID'],
        [{ WECHAT_TOKEN: 'linliToken1', WECHAT_APP_SECRET: 's' }, 'WECHAT_APP_ID'],
        [{ WECHAT_TOKEN: 'linliToken1', WECHAT_APP_ID: 'wx1234567890abcdef' }, 'WECHAT_APP_SECRET'],
        [{ ...channel, WECHAT_TOKEN: 'no spaces allowed' }, 'WECHAT_TOKEN'],
        [{ ...channel, WECHAT_API_BASE_URL: 'ftp://x' }, 'WECHAT_API_BASE_URL'],
        [{ ...channel, WECHAT_REPLY_BUDGET_MS: '6000' }, 'WECHAT_REPLY_BUDGET_MS'],
    ])('stops start-up naming the variable (%#)', (env, variable) => {
        let error: unknown;
        try {
            loadConfig(env);
        } catch (caught) {
            error = caught;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).variable).toBe(variable);
        expect((error as ConfigError).message).not.toContain('secret');
    });
});
