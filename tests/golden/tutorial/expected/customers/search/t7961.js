C360.tokens("7961",["yahoo",3,"yahoo",7,"yahoo",14]);
