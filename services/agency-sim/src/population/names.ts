/**
 * Names for the synthetic population: surnames weighted roughly by their share of the population (公安部
 * 2020 surname report order), given names from common characters, firm names in the usual
 * 行政区划 + 字号 + 行业 + 组织形式 pattern (企业名称登记管理规定).
 */
import type { Rng } from './rng.js';

/** Surname and weight (‰ of the population, rounded). */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 73],
  ['李', 72],
  ['张', 68],
  ['刘', 54],
  ['陈', 46],
  ['杨', 32],
  ['黄', 24],
  ['赵', 21],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 15],
  ['马', 14],
  ['朱', 13],
  ['胡', 12],
  ['郭', 11],
  ['何', 11],
  ['林', 10],
  ['高', 10],
  ['罗', 10],
  ['郑', 9],
  ['梁', 9],
  ['谢', 8],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 6],
  ['邓', 6],
  ['冯', 6],
  ['曹', 6],
  ['彭', 6],
  ['曾', 5],
  ['肖', 5],
  ['田', 5],
  ['董', 5],
  ['潘', 5],
  ['袁', 5],
  ['蔡', 4],
  ['蒋', 4],
  ['余', 4],
  ['于', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 4],
  ['魏', 4],
  ['苏', 4],
  ['吕', 4],
  ['丁', 3],
  ['任', 3],
  ['卢', 3],
  ['姚', 3],
  ['沈', 3],
  ['钟', 3],
  ['姜', 3],
  ['崔', 3],
  ['谭', 3],
  ['陆', 3],
  ['范', 3],
  ['汪', 3],
  ['廖', 3],
  ['石', 2],
  ['金', 2],
  ['韦', 2],
  ['贾', 2],
  ['夏', 2],
  ['付', 2],
  ['方', 2],
  ['邹', 2],
  ['熊', 2],
  ['白', 2],
  ['孟', 2],
  ['秦', 2],
  ['欧阳', 1],
  ['司马', 0.2],
  ['诸葛', 0.1],
];

const MALE = [...'伟强磊军洋勇杰涛明超斌辉鹏华飞刚浩宇俊峰建国志平波亮东林晨博文海龙成彬凯翔'];
const FEMALE = [...'芳娜敏静丽艳娟霞秀玲桂英燕红萍梅琳雪婷倩颖慧欣怡佳蕾琴洁晶丹莉璐'];
const EITHER = [...'子一思雨晓嘉家天春秋德心世安新永玉明'];

export function personName(rng: Rng, sex: 'M' | 'F'): string {
  const surname = rng.weighted(SURNAMES);
  const own = sex === 'M' ? MALE : FEMALE;
  if (rng.chance(0.3)) return surname + rng.pick(own);
  const first = rng.chance(0.5) ? rng.pick(EITHER) : rng.pick(own);
  return surname + first + rng.pick(own);
}

const TRADE = [...'华信锦程恒达鑫源泰丰盛宏瑞嘉远博新天金誉蓉川宇隆顺安康祥和通诚德利'];
const INDUSTRY = [
  '科技',
  '贸易',
  '建筑工程',
  '房地产开发',
  '餐饮管理',
  '商贸',
  '实业',
  '物流',
  '文化传媒',
  '投资管理',
  '机械制造',
  '装饰工程',
  '电子',
  '农业开发',
  '医药',
];
const FORM: readonly (readonly [string, number])[] = [
  ['有限公司', 80],
  ['有限责任公司', 15],
  ['股份有限公司', 5],
];

/** `成都锦程贸易有限公司`: city (without 市) + two-character 字号 + industry + legal form. */
export function firmName(rng: Rng, cityName: string): string {
  const trade = rng.pick(TRADE) + rng.pick(TRADE);
  return cityName.replace(/市$/, '') + trade + rng.pick(INDUSTRY) + rng.weighted(FORM);
}
