C360.tokens("616d",["amit",1,"amit123",0,"amit123@gmail.com",2]);
