C360.tokens("7961",["yahoo",12,"yahoo",28,"yahoo",56]);
