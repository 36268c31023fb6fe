C360.tokens("646f",["doe",0]);
