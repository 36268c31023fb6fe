C360.tokens("676d",["gmail",0,"gmail",16,"gmail",24,"gmail",36]);
