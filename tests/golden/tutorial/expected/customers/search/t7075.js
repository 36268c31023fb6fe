C360.tokens("7075",["pune",40]);
